import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Worker } from 'bullmq';
import type { DomainEvent, OutboundDelivery } from '@sapa/contracts';
import { createDb, createSecretBox, type DB, type Kysely } from '@sapa/db';
import { findDelivery, prepareReplay } from '@sapa/db/queries/deliveries';
import { createRedis, type Producer, type Redis } from '@sapa/queue';
import { createLogger } from '@sapa/service-kit';
import { createApiChannel, createTenant, testEnv, type TestTenant } from '@sapa/test-support';
import { startOutboundWorkers } from '../src/index.js';
import { startCallbackServer, type CallbackServer } from './helpers/callback-server.js';
import { seedReply, type SeededReply } from './helpers/seed-reply.js';
import { openQueueScope, type QueueScope } from './helpers/queue-scope.js';
import { waitFor } from './helpers/wait-for.js';

const env = testEnv();
const logger = createLogger({ service: 'gateway-test', level: 'silent', pretty: false });

let db: Kysely<DB>;
let redis: Redis;
let tenant: TestTenant;
let callback: CallbackServer;
let channel: { id: string; secret: string };

let prefix: string;
let producer: Producer;
let workers: Worker[];
let events: DomainEvent[];
let scope: QueueScope;

beforeAll(async () => {
  db = createDb({ connectionString: env.databaseUrl, max: 4 });
  redis = createRedis(env.redisUrl);
  tenant = await createTenant(db);
  callback = await startCallbackServer(() => channel.secret);
  channel = await createApiChannel(db, tenant.id, { callbackUrl: callback.url });
});

afterAll(async () => {
  await callback.close();
  await redis.quit();
  await db.destroy();
});

beforeEach(async () => {
  scope = await openQueueScope(redis);
  ({ prefix, producer, events } = scope);
  const { eventBus } = scope;
  callback.received = [];
  callback.answer = () => 200;
  // A 10 ms backoff base: five attempts take ~150 ms instead of 15 s.
  workers = startOutboundWorkers({ db, redis, prefix, secretBox: createSecretBox(env.secretKey), eventBus, logger, backoffDelayMs: 10 });
});

afterEach(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await scope.close('outbound.api');
});

function reply(options: Partial<Parameters<typeof seedReply>[3]> = {}): Promise<SeededReply> {
  const agent = tenant.users.agent1!;
  return seedReply(db, tenant.id, channel.id, { teamId: tenant.teamId, assigneeId: agent.id, ...options });
}

function enqueue(seeded: SeededReply, replay = 0): Promise<string> {
  const payload: OutboundDelivery = { tenantId: tenant.id, deliveryId: seeded.deliveryId, messageId: seeded.messageId, replay };
  return producer.add('outbound.api', payload);
}

async function settled(seeded: SeededReply): Promise<{ delivery: string; message: string; attempts: number; lastError: string | null }> {
  return waitFor(async () => {
    const delivery = await findDelivery(db, tenant.id, seeded.deliveryId);
    if (!delivery || delivery.status === 'pending') return undefined;
    const message = await db.selectFrom('messages').select('status').where('id', '=', seeded.messageId).executeTakeFirstOrThrow();
    return { delivery: delivery.status, message: message.status, attempts: delivery.attempts, lastError: delivery.last_error };
  }, 'the delivery to settle');
}

const statusEvent = (seeded: SeededReply, status: string) =>
  waitFor(async () => events.find((e) => e.type === 'message.updated' && e.data.id === seeded.messageId && e.data.status === status), `message.updated ${status}`);

describe('outbound.api worker', () => {
  it("POSTs the signed reply to the callbackUrl, then marks delivery and message sent and tells the inbox", async () => {
    const seeded = await reply();
    await enqueue(seeded);

    expect(await settled(seeded)).toEqual({ delivery: 'sent', message: 'sent', attempts: 1, lastError: null });
    expect(callback.received).toHaveLength(1);
    const [got] = callback.received;
    expect(got?.signatureValid).toBe(true);
    expect(got?.headers['x-sapa-delivery']).toBe(seeded.deliveryId);
    expect(got?.headers['content-type']).toBe('application/json');
    expect(Math.abs(Number(got?.headers['x-sapa-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(got?.body).toEqual({
      messageId: seeded.messageId,
      conversationId: seeded.conversationId,
      to: { id: seeded.externalId },
      text: 'Halo, ada yang bisa kami bantu?',
      author: { type: 'agent', id: tenant.users.agent1!.id, name: 'agent1' },
    });
    const event = await statusEvent(seeded, 'sent');
    expect(event).toMatchObject({
      tenantId: tenant.id,
      audience: { teamId: tenant.teamId, userIds: [tenant.users.agent1!.id] },
      data: { id: seeded.messageId, conversationId: seeded.conversationId, status: 'sent' },
    });
    const message = await db.selectFrom('messages').select('sent_at').where('id', '=', seeded.messageId).executeTakeFirstOrThrow();
    expect(message.sent_at).toBeInstanceOf(Date);
  });

  it("signs Sapa's own messages as the system, with attachments and no text", async () => {
    const seeded = await reply({ authorType: 'system', assigneeId: null, text: null });
    const attachments = [{ url: 'https://cdn.example.com/a.pdf', contentType: 'application/pdf' }];
    await db.updateTable('messages').set({ attachments: JSON.stringify(attachments) }).where('id', '=', seeded.messageId).execute();
    await enqueue(seeded);

    expect((await settled(seeded)).delivery).toBe('sent');
    expect(callback.received[0]?.body).toEqual({
      messageId: seeded.messageId,
      conversationId: seeded.conversationId,
      to: { id: seeded.externalId },
      attachments,
      author: { type: 'system', id: null, name: 'Sapa' },
    });
    expect((await statusEvent(seeded, 'sent')).audience).toEqual({ teamId: tenant.teamId, userIds: [] });
  });

  it('retries a 500 with backoff and keeps the same X-Sapa-Delivery on all five requests', async () => {
    callback.answer = (n) => (n < 4 ? 500 : 200);
    const seeded = await reply();
    await enqueue(seeded);

    expect(await settled(seeded)).toEqual({ delivery: 'sent', message: 'sent', attempts: 5, lastError: null });
    expect(callback.received).toHaveLength(5);
    expect(new Set(callback.received.map((r) => r.headers['x-sapa-delivery']))).toEqual(new Set([seeded.deliveryId]));
    expect(callback.received.every((r) => r.signatureValid)).toBe(true);
  });

  it('gives up after exactly five attempts: delivery and message failed, and a message.updated event says so', async () => {
    callback.answer = () => 500;
    const seeded = await reply();
    await enqueue(seeded);

    const outcome = await settled(seeded);
    expect(outcome).toMatchObject({ delivery: 'failed', message: 'failed', attempts: 5 });
    expect(outcome.lastError).toMatch(/callback answered 500/);
    await statusEvent(seeded, 'failed');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(callback.received).toHaveLength(5);
  });

  it('replays a failed delivery with the same X-Sapa-Delivery id', async () => {
    callback.answer = () => 500;
    const seeded = await reply();
    await enqueue(seeded);
    expect((await settled(seeded)).delivery).toBe('failed');

    callback.answer = () => 200;
    const replayed = await prepareReplay(db, tenant.id, seeded.deliveryId);
    expect(replayed).toMatchObject({ status: 'pending', attempts: 0, replays: 1 });
    await enqueue(seeded, replayed!.replays);

    expect(await settled(seeded)).toEqual({ delivery: 'sent', message: 'sent', attempts: 1, lastError: null });
    expect(callback.received).toHaveLength(6);
    expect(callback.received[5]?.headers['x-sapa-delivery']).toBe(seeded.deliveryId);
  });

  it('sends nothing again for a redelivered job of a delivery already sent', async () => {
    const seeded = await reply();
    await enqueue(seeded);
    expect((await settled(seeded)).delivery).toBe('sent');

    const payload: OutboundDelivery = { tenantId: tenant.id, deliveryId: seeded.deliveryId, messageId: seeded.messageId, replay: 0 };
    const job = await producer.queue('outbound.api').add('outbound.api', payload, { jobId: `redelivered-${randomUUID()}` });
    await waitFor(async () => ((await job.getState()) === 'completed' ? true : undefined), 'the redelivered job to complete');

    expect(callback.received).toHaveLength(1);
    expect((await findDelivery(db, tenant.id, seeded.deliveryId))?.attempts).toBe(1);
  });

  it('fails at once, without retrying, a reply to a contact who has no identity on the channel', async () => {
    const seeded = await reply({ withIdentity: false });
    await enqueue(seeded);

    expect(await settled(seeded)).toMatchObject({ delivery: 'failed', message: 'failed', attempts: 1 });
    expect(callback.received).toHaveLength(0);
  });

  it('retries when the callback cannot be reached', async () => {
    const unreachable = await createApiChannel(db, tenant.id, { callbackUrl: 'http://127.0.0.1:9/closed' });
    const seeded = await seedReply(db, tenant.id, unreachable.id, { teamId: tenant.teamId });
    await enqueue(seeded);

    const outcome = await settled(seeded);
    expect(outcome).toMatchObject({ delivery: 'failed', attempts: 5 });
    expect(outcome.lastError).toMatch(/callback unreachable/);
  });
});
