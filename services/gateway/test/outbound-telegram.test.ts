import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { DB, Kysely } from '@sapa/db';
import type { Redis } from '@sapa/queue';
import type { TestTenant } from '@sapa/test-support';
import { botApiFailures, startFakeTelegramBotApi, type FakeTelegramBotApi } from '../../../tests/support/fakes/telegram-bot-api.js';
import { insertChannel } from './helpers/channel-rows.js';
import { enqueueDelivery, outboundPerTest, settled as settledFor } from './helpers/outbound-harness.js';
import { seedReply, type SeededReply } from './helpers/seed-reply.js';
import { closeTestStores, openTestStores } from './helpers/test-stores.js';
import { waitFor } from './helpers/wait-for.js';

const BOT_TOKEN = '7654321:AAF-outbound-test-token-abcdefghijklmn';

let db: Kysely<DB>;
let redis: Redis;
let tenant: TestTenant;
let telegram: FakeTelegramBotApi;
let channelId: string;

const insertTelegramChannel = (apiBase: string) =>
  insertChannel(db, tenant.id, { type: 'telegram', name: 'Bot', config: { apiBase }, secrets: { botToken: BOT_TOKEN, secretToken: 'outbound-test-secret' } });

beforeAll(async () => {
  ({ db, redis, tenant } = await openTestStores());
  telegram = await startFakeTelegramBotApi();
  channelId = await insertTelegramChannel(telegram.url);
});

afterAll(async () => {
  await telegram.close();
  await closeTestStores({ db, redis });
});

const outbound = outboundPerTest(() => ({ db, redis }), 'outbound.telegram');

beforeEach(() => {
  telegram.requests.length = 0;
});

/** A reply waiting to go to a customer whose Telegram chat id is `chatId`. */
async function reply(options: { text?: string | null; onChannel?: string } = {}): Promise<SeededReply & { chatId: number }> {
  const chatId = randomInt(100_000_000, 9_000_000_000);
  const seeded = await seedReply(db, tenant.id, options.onChannel ?? channelId, {
    teamId: tenant.teamId,
    assigneeId: tenant.users.agent1!.id,
    externalId: String(chatId),
    ...('text' in options && { text: options.text }),
  });
  return { ...seeded, chatId };
}

const enqueue = (seeded: SeededReply) => enqueueDelivery(outbound.scope.producer, 'outbound.telegram', tenant.id, seeded);
const settled = (seeded: SeededReply) => settledFor(db, tenant.id, seeded);

describe('outbound.telegram worker', () => {
  it('sends the reply with exactly one sendMessage to the chat, then marks it sent and tells the inbox', async () => {
    const seeded = await reply({ text: 'Baik Pak Budi, kami cek dulu ya.' });
    await enqueue(seeded);

    expect(await settled(seeded)).toMatchObject({ delivery: 'sent', message: 'sent', attempts: 1, lastError: null });
    expect(telegram.requests.map(({ httpMethod, path, body }) => ({ httpMethod, path, body }))).toEqual([
      { httpMethod: 'POST', path: `/bot${BOT_TOKEN}/sendMessage`, body: { chat_id: seeded.chatId, text: 'Baik Pak Budi, kami cek dulu ya.' } },
    ]);
    await waitFor(async () => outbound.scope.events.find((e) => e.type === 'message.updated' && e.data.id === seeded.messageId && e.data.status === 'sent'), 'message.updated sent');
  });

  it('waits out a 429 for the retry_after Telegram names, then sends', async () => {
    telegram.failNext('sendMessage', botApiFailures.tooManyRequests(1));
    const seeded = await reply();
    await enqueue(seeded);

    expect(await settled(seeded)).toMatchObject({ delivery: 'sent', message: 'sent', attempts: 2, lastError: null });
    const [first, second] = telegram.calls('sendMessage');
    expect(telegram.calls('sendMessage')).toHaveLength(2);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
    expect(second!.body).toEqual(first!.body);
  });

  it('retries a 500 with backoff', async () => {
    telegram.failNext('sendMessage', botApiFailures.internal(), botApiFailures.internal());
    const seeded = await reply();
    await enqueue(seeded);

    expect(await settled(seeded)).toMatchObject({ delivery: 'sent', message: 'sent', attempts: 3, lastError: null });
    expect(telegram.calls('sendMessage')).toHaveLength(3);
  });

  it('fails a 400 at once, without retrying, with Telegram\'s description and never the bot token', async () => {
    telegram.failNext('sendMessage', botApiFailures.chatNotFound());
    const seeded = await reply();
    await enqueue(seeded);

    const outcome = await settled(seeded);
    expect(outcome).toMatchObject({ delivery: 'failed', message: 'failed', attempts: 1 });
    expect(outcome.lastError).toBe('Telegram sendMessage answered 400: Bad Request: chat not found');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(telegram.calls('sendMessage')).toHaveLength(1);
  });

  it('fails a revoked bot token (401) at once', async () => {
    telegram.failNext('sendMessage', botApiFailures.unauthorized());
    const seeded = await reply();
    await enqueue(seeded);

    expect(await settled(seeded)).toMatchObject({ delivery: 'failed', attempts: 1, lastError: 'Telegram sendMessage answered 401: Unauthorized' });
  });

  it('sends attachments Sapa does not hold by URL, the text as the first one\'s caption: JPEG and PNG with sendPhoto, anything else with sendDocument', async () => {
    const seeded = await reply({ text: 'Berikut buktinya' });
    const attachments = [
      { url: 'https://cdn.example.com/bukti.png', contentType: 'image/png' },
      { url: 'https://cdn.example.com/mutasi.pdf', contentType: 'application/pdf', filename: 'mutasi.pdf' },
    ];
    await db.updateTable('messages').set({ attachments: JSON.stringify(attachments) }).where('id', '=', seeded.messageId).execute();
    await enqueue(seeded);

    expect((await settled(seeded)).delivery).toBe('sent');
    expect(telegram.requests.map(({ method, body }) => ({ method, body }))).toEqual([
      { method: 'sendPhoto', body: { chat_id: seeded.chatId, photo: 'https://cdn.example.com/bukti.png', caption: 'Berikut buktinya' } },
      { method: 'sendDocument', body: { chat_id: seeded.chatId, document: 'https://cdn.example.com/mutasi.pdf' } },
    ]);
  });

  it('splits a text longer than 4096 characters over several messages, never inside a character', async () => {
    const text = `${'a'.repeat(4095)}😀${'b'.repeat(10)}`;
    const seeded = await reply({ text });
    await enqueue(seeded);

    expect((await settled(seeded)).delivery).toBe('sent');
    const texts = telegram.calls('sendMessage').map((r) => r.body.text as string);
    expect(texts.map((t) => t.length)).toEqual([4095, 12]);
    expect(texts.join('')).toBe(text);
  });

  it('resumes a reply of several messages after the ones Telegram took, so the customer never sees a part twice', async () => {
    const text = `${'a'.repeat(4096)}${'b'.repeat(4096)}${'c'.repeat(10)}`;
    const seeded = await reply({ text });
    // The first part goes, the second meets a 500: the retry must start at the second.
    telegram.failNext('sendMessage', 'pass', botApiFailures.internal());
    await enqueue(seeded);

    expect((await settled(seeded)).delivery).toBe('sent');
    const texts = telegram.calls('sendMessage').map((r) => (r.body.text as string)[0]);
    // a (taken), b (refused), b (retry), c: no second a.
    expect(texts).toEqual(['a', 'b', 'b', 'c']);
    const row = await db.selectFrom('deliveries').select('parts_sent').where('id', '=', seeded.deliveryId).executeTakeFirstOrThrow();
    expect(row.parts_sent).toBe(3);
  });

  it('retries when the Bot API cannot be reached, and gives up after five attempts', async () => {
    const unreachable = await insertTelegramChannel('http://127.0.0.1:9');
    const seeded = await reply({ onChannel: unreachable });
    await enqueue(seeded);

    const outcome = await settled(seeded);
    expect(outcome).toMatchObject({ delivery: 'failed', attempts: 5 });
    expect(outcome.lastError).toMatch(/^Telegram Bot API unreachable: /);
    expect(outcome.lastError).not.toContain(BOT_TOKEN);
  });
});
