import { randomInt } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Worker } from 'bullmq';
import type { DomainEvent, OutboundDelivery } from '@sapa/contracts';
import { createDb, createSecretBox, type DB, type Kysely } from '@sapa/db';
import { findDelivery } from '@sapa/db/queries/deliveries';
import { createRedis, type Producer, type Redis } from '@sapa/queue';
import { createLogger } from '@sapa/service-kit';
import { createTenant, testEnv, type TestTenant } from '@sapa/test-support';
import { botApiFailures, startFakeTelegramBotApi, type FakeTelegramBotApi } from '../../../tests/support/fakes/telegram-bot-api.js';
import { startOutboundWorkers } from '../src/index.js';
import { seedReply, type SeededReply } from './helpers/seed-reply.js';
import { openQueueScope, type QueueScope } from './helpers/queue-scope.js';
import { waitFor } from './helpers/wait-for.js';

const env = testEnv();
const logger = createLogger({ service: 'gateway-test', level: 'silent', pretty: false });
const secretBox = createSecretBox(env.secretKey);
const BOT_TOKEN = '7654321:AAF-outbound-test-token-abcdefghijklmn';

let db: Kysely<DB>;
let redis: Redis;
let tenant: TestTenant;
let telegram: FakeTelegramBotApi;
let channelId: string;

let prefix: string;
let producer: Producer;
let workers: Worker[];
let events: DomainEvent[];
let scope: QueueScope;

async function insertTelegramChannel(apiBase: string): Promise<string> {
  const row = await db
    .insertInto('channels')
    .values({
      tenant_id: tenant.id,
      type: 'telegram',
      name: 'Bot',
      team_id: null,
      config: JSON.stringify({ apiBase }),
      secrets_enc: secretBox.seal({ botToken: BOT_TOKEN, secretToken: 'outbound-test-secret' }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

beforeAll(async () => {
  db = createDb({ connectionString: env.databaseUrl, max: 4 });
  redis = createRedis(env.redisUrl);
  tenant = await createTenant(db);
  telegram = await startFakeTelegramBotApi();
  channelId = await insertTelegramChannel(telegram.url);
});

afterAll(async () => {
  await telegram.close();
  await redis.quit();
  await db.destroy();
});

beforeEach(async () => {
  scope = await openQueueScope(redis);
  ({ prefix, producer, events } = scope);
  const { eventBus } = scope;
  telegram.requests.length = 0;
  // A 10 ms backoff base: five attempts take ~150 ms instead of 15 s (a retry_after still counts in full).
  workers = startOutboundWorkers({ db, redis, prefix, secretBox, eventBus, logger, backoffDelayMs: 10 });
});

afterEach(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await scope.close('outbound.telegram');
});

/** A reply waiting to go to a customer whose Telegram chat id is `chatId`. */
async function reply(options: { text?: string | null; onChannel?: string } = {}): Promise<SeededReply & { chatId: number }> {
  const onChannel = options.onChannel ?? channelId;
  const seeded = await seedReply(db, tenant.id, onChannel, { teamId: tenant.teamId, assigneeId: tenant.users.agent1!.id, ...('text' in options && { text: options.text }) });
  const chatId = randomInt(100_000_000, 9_000_000_000);
  await db.updateTable('contact_identities').set({ external_id: String(chatId) }).where('contact_id', '=', seeded.contactId).execute();
  return { ...seeded, chatId };
}

function enqueue(seeded: SeededReply): Promise<string> {
  const payload: OutboundDelivery = { tenantId: tenant.id, deliveryId: seeded.deliveryId, messageId: seeded.messageId, replay: 0 };
  return producer.add('outbound.telegram', payload);
}

async function settled(seeded: SeededReply): Promise<{ delivery: string; message: string; attempts: number; lastError: string | null }> {
  return waitFor(async () => {
    const delivery = await findDelivery(db, tenant.id, seeded.deliveryId);
    if (!delivery || delivery.status === 'pending') return undefined;
    const message = await db.selectFrom('messages').select('status').where('id', '=', seeded.messageId).executeTakeFirstOrThrow();
    return { delivery: delivery.status, message: message.status, attempts: delivery.attempts, lastError: delivery.last_error };
  }, 'the delivery to settle');
}

describe('outbound.telegram worker', () => {
  it('sends the reply with exactly one sendMessage to the chat, then marks it sent and tells the inbox', async () => {
    const seeded = await reply({ text: 'Baik Pak Budi, kami cek dulu ya.' });
    await enqueue(seeded);

    expect(await settled(seeded)).toEqual({ delivery: 'sent', message: 'sent', attempts: 1, lastError: null });
    expect(telegram.requests.map(({ httpMethod, path, body }) => ({ httpMethod, path, body }))).toEqual([
      { httpMethod: 'POST', path: `/bot${BOT_TOKEN}/sendMessage`, body: { chat_id: seeded.chatId, text: 'Baik Pak Budi, kami cek dulu ya.' } },
    ]);
    await waitFor(async () => events.find((e) => e.type === 'message.updated' && e.data.id === seeded.messageId && e.data.status === 'sent'), 'message.updated sent');
  });

  it('waits out a 429 for the retry_after Telegram names, then sends', async () => {
    telegram.failNext('sendMessage', botApiFailures.tooManyRequests(1));
    const seeded = await reply();
    await enqueue(seeded);

    expect(await settled(seeded)).toEqual({ delivery: 'sent', message: 'sent', attempts: 2, lastError: null });
    const [first, second] = telegram.calls('sendMessage');
    expect(telegram.calls('sendMessage')).toHaveLength(2);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
    expect(second!.body).toEqual(first!.body);
  });

  it('retries a 500 with backoff', async () => {
    telegram.failNext('sendMessage', botApiFailures.internal(), botApiFailures.internal());
    const seeded = await reply();
    await enqueue(seeded);

    expect(await settled(seeded)).toEqual({ delivery: 'sent', message: 'sent', attempts: 3, lastError: null });
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
