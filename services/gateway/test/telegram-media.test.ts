import { randomBytes, randomInt } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { DB, Kysely } from '@sapa/db';
import type { Redis } from '@sapa/queue';
import type { TestTenant } from '@sapa/test-support';
import { startFakeTelegramBotApi, type FakeTelegramBotApi } from '../../../tests/support/fakes/telegram-bot-api.js';
import type { OpenedChannel } from '../src/channels/channel-adapter.js';
import { MediaTooLarge } from '../src/channels/download-media.js';
import { telegramChannel } from '../src/channels/telegram/index.js';
import { insertChannel, openChannelRow } from './helpers/channel-rows.js';
import { failureOf } from './helpers/failure-of.js';
import { deliveryToSend, seedReply } from './helpers/seed-reply.js';
import { storedFiles, type FileToKeep } from './helpers/stored-files.js';
import { closeTestStores, openTestStores } from './helpers/test-stores.js';

const BOT_TOKEN = '7654321:AAF-media-test-token-abcdefghijklmnopq';
const MB = 1024 * 1024;

let db: Kysely<DB>;
let redis: Redis;
let tenant: TestTenant;
let telegram: FakeTelegramBotApi;
let channel: OpenedChannel;

beforeAll(async () => {
  ({ db, redis, tenant } = await openTestStores());
  telegram = await startFakeTelegramBotApi();
  const id = await insertChannel(db, tenant.id, { type: 'telegram', name: 'Bot', config: { apiBase: telegram.url }, secrets: { botToken: BOT_TOKEN, secretToken: 'media-test-secret' } });
  channel = await openChannelRow(db, id);
});

afterAll(async () => {
  await telegram.close();
  await closeTestStores({ db, redis });
});

beforeEach(() => {
  telegram.requests.length = 0;
});

const fetchMedia = (url: string, maxBytes = 25 * MB) => telegramChannel.media!.fetch(url, channel, { timeoutMs: 5_000, maxBytes, allowPrivateHosts: true });

describe('telegram media: getFile, then the file itself', () => {
  it("downloads a customer's file through getFile and its file_path, named after the path", async () => {
    const bytes = randomBytes(3000);
    telegram.addFile('BQACAgIAAxkBAAIBZ2', bytes, { filePath: 'documents/file_7.pdf' });

    const media = await fetchMedia('telegram-file:BQACAgIAAxkBAAIBZ2');

    expect(media.body.equals(bytes)).toBe(true);
    expect(media.filename).toBe('file_7.pdf');
    expect(telegram.requests.map(({ method, body }) => ({ method, body }))).toEqual([{ method: 'getFile', body: { file_id: 'BQACAgIAAxkBAAIBZ2' } }]);
  });

  it('fails for good, saying why, on a file over the 20 MB a bot may download', async () => {
    telegram.addFile('big-video', randomBytes(10), { fileSize: 25 * MB });

    const failure = await failureOf(fetchMedia('telegram-file:big-video'));
    expect(failure).toBeInstanceOf(MediaTooLarge);
    expect(failure.message).toMatch(/file is too big.*at most 20 MB/);
    expect(failure.message).not.toContain(BOT_TOKEN);
  });

  it('fails for good on a file over the channel limit, without downloading it', async () => {
    telegram.addFile('two-mb', randomBytes(10), { fileSize: 2 * MB, filePath: 'documents/two.bin' });

    const failure = await failureOf(fetchMedia('telegram-file:two-mb', MB));
    expect(failure).toBeInstanceOf(MediaTooLarge);
    expect([failure.retryable, failure.message]).toEqual([false, `the file is ${2 * MB} bytes, more than the ${MB} bytes this channel takes`]);
  });

  it('refuses a download past the limit when getFile under-reports the size', async () => {
    telegram.addFile('liar', randomBytes(4096), { fileSize: 100, filePath: 'documents/liar.bin' });

    const failure = await failureOf(fetchMedia('telegram-file:liar', 1024));
    expect(failure.retryable).toBe(false);
    expect(failure.message).toMatch(/more than the 1024 bytes/);
  });

  it.each([
    ['an unknown file_id', 'telegram-file:nope', /getFile answered 400: Bad Request: invalid file_id/],
    ['a url that is not a telegram file', 'https://example.com/x.jpg', /telegram-file:<file_id>/],
  ])('fails for good on %s', async (_case, url, reason) => {
    const failure = await failureOf(fetchMedia(url));
    expect(failure.retryable).toBe(false);
    expect(failure.message).toMatch(reason);
  });
});

describe('telegram outbound: stored files uploaded with sendPhoto and sendDocument', () => {
  const { attachments, keep } = storedFiles('Telegram');

  async function send(text: string | null, files: FileToKeep[]) {
    const chatId = randomInt(100_000_000, 9_000_000_000);
    const seeded = await seedReply(db, tenant.id, channel.row.id, { teamId: tenant.teamId, assigneeId: tenant.users.agent1!.id, text, externalId: String(chatId), attachments: files.map(keep) });
    await telegramChannel.outbound!.send(await deliveryToSend(db, tenant.id, seeded), channel, { timeoutMs: 5_000, attachments });
    return chatId;
  }

  it('uploads a photo with the text as its caption, then a document, as multipart forms', async () => {
    const photo = randomBytes(2048);
    const pdf = randomBytes(4096);
    const chatId = await send('Ini struk dan mutasinya', [
      { id: '0b6b4a51-8a0e-4c1b-9a35-1d2f1c1e0001', contentType: 'image/jpeg', body: photo },
      { id: '0b6b4a51-8a0e-4c1b-9a35-1d2f1c1e0002', contentType: 'application/pdf', filename: 'mutasi.pdf', body: pdf },
    ]);

    expect(telegram.requests.map(({ method, body }) => ({ method, body }))).toEqual([
      { method: 'sendPhoto', body: { chat_id: String(chatId), caption: 'Ini struk dan mutasinya' } },
      { method: 'sendDocument', body: { chat_id: String(chatId) } },
    ]);
    const [sentPhoto, sentDocument] = telegram.requests.map((r) => r.files);
    expect(sentPhoto!.photo!.body.equals(photo)).toBe(true);
    expect([sentPhoto!.photo!.filename, sentPhoto!.photo!.contentType]).toEqual(['photo.jpg', 'image/jpeg']);
    expect(sentDocument!.document!.body.equals(pdf)).toBe(true);
    expect([sentDocument!.document!.filename, sentDocument!.document!.contentType]).toEqual(['mutasi.pdf', 'application/pdf']);
  });

  it('sends a text too long for a caption first, then the file without one', async () => {
    const text = 'x'.repeat(1025);
    await send(text, [{ id: '0b6b4a51-8a0e-4c1b-9a35-1d2f1c1e0003', contentType: 'image/png', body: randomBytes(10) }]);

    expect(telegram.requests.map(({ method, body }) => [method, body.caption])).toEqual([
      ['sendMessage', undefined],
      ['sendPhoto', undefined],
    ]);
  });

  it('sends a photo over the 10 MB sendPhoto takes as a document', async () => {
    await send(null, [{ id: '0b6b4a51-8a0e-4c1b-9a35-1d2f1c1e0004', contentType: 'image/jpeg', body: randomBytes(10), size: 11 * MB }]);

    expect(telegram.requests.map((r) => [r.method, Object.keys(r.files ?? {})])).toEqual([['sendDocument', ['document']]]);
  });

  it('fails for good, without calling Telegram, on a file over the 50 MB a bot may upload', async () => {
    const failure = await failureOf(send(null, [{ id: '0b6b4a51-8a0e-4c1b-9a35-1d2f1c1e0005', contentType: 'video/mp4', body: randomBytes(10), size: 51 * MB }]));

    expect(failure.retryable).toBe(false);
    expect(failure.message).toMatch(/at most 50 MB/);
    expect(telegram.requests).toEqual([]);
  });
});
