import { describe, expect, it } from '@jest/globals';
import { attachmentSigningKey, contentDisposition, signAttachmentLink, signAttachmentUrl, verifyAttachmentLink, withSignedUrls } from '../src/index.js';

const key = attachmentSigningKey('test-secret-key-0123456789abcdef');
const file = { tenantId: '11111111-1111-4111-8111-111111111111', attachmentId: '22222222-2222-4222-8222-222222222222' };
const now = new Date('2026-03-02T10:00:00Z');
const in15min = new Date(now.getTime() + 15 * 60_000);

function queryOf(url: string) {
  const q = new URL(url).searchParams;
  return { expires: q.get('expires') ?? undefined, signature: q.get('signature') ?? undefined };
}

describe('signed attachment links', () => {
  const url = signAttachmentUrl(key, { ...file, expiresAt: in15min }, `https://sapa.example/v1/attachments/${file.attachmentId}/content`);

  it('puts expires (unix seconds) and a hex signature on the route URL', () => {
    expect(url).toMatch(new RegExp(`^https://sapa.example/v1/attachments/${file.attachmentId}/content\\?expires=${in15min.getTime() / 1000}&signature=[0-9a-f]{64}$`));
  });

  it('opens the file it was signed for until it expires', () => {
    expect(verifyAttachmentLink(key, file, queryOf(url), now)).toEqual({ ok: true });
    expect(verifyAttachmentLink(key, file, queryOf(url), new Date(in15min.getTime() - 1000))).toEqual({ ok: true });
  });

  it('is link_expired from its expiry on', () => {
    expect(verifyAttachmentLink(key, file, queryOf(url), in15min)).toEqual({ ok: false, reason: 'link_expired' });
  });

  const signed = signAttachmentLink(key, { ...file, expiresAt: in15min });
  it.each([
    ['a later expires', { expires: String(signed.expires + 3600), signature: signed.signature }, file],
    ['a changed signature', { expires: String(signed.expires), signature: signed.signature.replace(/^./, (c) => (c === '0' ? '1' : '0')) }, file],
    ['another file', { expires: String(signed.expires), signature: signed.signature }, { ...file, attachmentId: '33333333-3333-4333-8333-333333333333' }],
    ['the same file id under another tenant', { expires: String(signed.expires), signature: signed.signature }, { ...file, tenantId: '44444444-4444-4444-8444-444444444444' }],
    ['no signature', { expires: String(signed.expires) }, file],
    ['no expires', { signature: signed.signature }, file],
    ['a short signature', { expires: String(signed.expires), signature: 'abc' }, file],
    ['an expires that is not a number', { expires: '1e12', signature: signed.signature }, file],
    ['query values given twice (arrays)', { expires: [String(signed.expires)], signature: [signed.signature] }, file],
  ])('is invalid_signature with %s', (_why, query, asked) => {
    expect(verifyAttachmentLink(key, asked, query, now)).toEqual({ ok: false, reason: 'invalid_signature' });
  });

  it('is invalid_signature when signed with another secret, even expired', () => {
    const other = signAttachmentLink(attachmentSigningKey('another-secret-key-0123456789'), { ...file, expiresAt: new Date(0) });
    expect(verifyAttachmentLink(key, file, { expires: String(other.expires), signature: other.signature }, now)).toEqual({ ok: false, reason: 'invalid_signature' });
  });
});

describe('withSignedUrls', () => {
  it('links the files Sapa holds and leaves the rest as the channel gave them', () => {
    const attachments = [
      { url: 'https://cdn.example/a.png', contentType: 'image/png', id: file.attachmentId, size: 10 },
      { url: 'whatsapp-media:123', contentType: 'image/jpeg' },
      { url: 'https://cdn.example/big.mp4', contentType: 'video/mp4', error: 'attachment_too_large' },
    ];
    expect(withSignedUrls(attachments, (id) => `https://sapa.example/files/${id}`)).toEqual([
      { url: `https://sapa.example/files/${file.attachmentId}`, contentType: 'image/png', id: file.attachmentId, size: 10 },
      attachments[1],
      attachments[2],
    ]);
  });
});

describe('contentDisposition', () => {
  it.each([
    ['ktp.jpg', `attachment; filename="ktp.jpg"; filename*=UTF-8''ktp.jpg`],
    ['bukti transfer (1).pdf', `attachment; filename="bukti transfer (1).pdf"; filename*=UTF-8''bukti%20transfer%20%281%29.pdf`],
    ['Struk ✓.png', `attachment; filename="Struk _.png"; filename*=UTF-8''Struk%20%E2%9C%93.png`],
    ['say "hi"\\.txt', `attachment; filename="say _hi__.txt"; filename*=UTF-8''say%20%22hi%22%5C.txt`],
  ])('names %p as a download', (name, header) => {
    expect(contentDisposition(name)).toBe(header);
  });
});
