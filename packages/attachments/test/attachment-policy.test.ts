import { describe, expect, it } from '@jest/globals';
import { CHANNEL_TYPES } from '@sapa/contracts';
import { MAX_ATTACHMENT_BYTES, checkAttachment, cleanFilename, sniffContentType } from '../src/index.js';
import { sapaErrorOf } from './sapa-error-of.js';
import { elfHeader, exeHeader, tinyPdf, tinyPng } from './samples.js';

describe('sniffContentType', () => {
  it('names a PNG by its bytes even when it was declared text/plain', async () => {
    expect(await sniffContentType(tinyPng(), 'text/plain')).toBe('image/png');
  });

  it('names a PDF declared as an image a PDF', async () => {
    expect(await sniffContentType(tinyPdf(), 'image/jpeg')).toBe('application/pdf');
  });

  it.each([
    ['an ELF executable', elfHeader(), 'application/x-elf'],
    ['a Windows executable', exeHeader(), 'application/x-msdownload'],
  ])('names %s declared image/png what it really is', async (_what, body, real) => {
    expect(await sniffContentType(body, 'image/png')).toBe(real);
  });

  it('keeps the declared type of text, which has no signature, without its parameters', async () => {
    expect(await sniffContentType(Buffer.from('Halo, ini bukti transfer'), 'text/plain; charset=utf-8')).toBe('text/plain');
  });

  it.each([[undefined], ['not a type'], ['']])('falls back to application/octet-stream for bytes with no signature declared %p', async (declared) => {
    expect(await sniffContentType(Buffer.from('just bytes'), declared)).toBe('application/octet-stream');
  });
});

describe('checkAttachment', () => {
  it.each(CHANNEL_TYPES.map((c) => [c, MAX_ATTACHMENT_BYTES[c]] as const))('takes a file of exactly the limit on %s (%i bytes) and refuses one byte more with 413', (channel, max) => {
    expect(() => checkAttachment(channel, 'image/png', max)).not.toThrow();
    const err = sapaErrorOf(() => checkAttachment(channel, 'image/png', max + 1));
    expect([err.statusCode, err.code, err.details]).toEqual([413, 'attachment_too_large', { maxBytes: max, size: max + 1 }]);
  });

  it('limits each channel as its provider does', () => {
    expect(MAX_ATTACHMENT_BYTES).toMatchObject({ telegram: 20 * 1024 * 1024, whatsapp_cloud: 100 * 1024 * 1024, messenger: 25 * 1024 * 1024, livechat: 10 * 1024 * 1024, upload: 25 * 1024 * 1024 });
  });

  it.each(['image/jpeg', 'audio/ogg', 'video/mp4', 'text/plain', 'application/pdf', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/zip'])(
    'takes %s',
    (type) => expect(() => checkAttachment('api', type, 10)).not.toThrow(),
  );

  it.each(['application/x-msdownload', 'application/x-elf', 'application/x-sh', 'text/html', 'image/svg+xml', 'application/x-msi', 'application/javascript'])(
    'refuses %s with 415 attachment_type_refused',
    (type) => {
      const err = sapaErrorOf(() => checkAttachment('upload', type, 10));
      expect([err.statusCode, err.code]).toEqual([415, 'attachment_type_refused']);
    },
  );
});

describe('cleanFilename', () => {
  it.each([
    ['bukti transfer.pdf', 'bukti transfer.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\budi\\ktp.jpg', 'ktp.jpg'],
    ['a"b\u0000c\r\nd.txt', 'abcd.txt'],
    ['  spaced.png  ', 'spaced.png'],
    ['Struk belanja ✓ 日本.png', 'Struk belanja ✓ 日本.png'],
  ])('turns %p into %p', (given, clean) => {
    expect(cleanFilename(given)).toBe(clean);
  });

  it.each([[undefined], [''], ['   '], ['folder/']])('gives no name for %p', (given) => {
    expect(cleanFilename(given)).toBeUndefined();
  });

  it('keeps at most 255 characters', () => {
    expect(cleanFilename(`${'a'.repeat(300)}.pdf`)).toHaveLength(255);
  });
});
