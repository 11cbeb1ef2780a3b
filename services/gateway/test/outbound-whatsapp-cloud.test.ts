import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Worker } from 'bullmq';
import type { OutboundDelivery } from '@sapa/contracts';
import { createDb, createSecretBox, type DB, type Kysely } from '@sapa/db';
import { findDelivery } from '@sapa/db/queries/deliveries';
import { createEventBus, createProducer, createRedis, type Producer, type Redis } from '@sapa/queue';
import { createLogger } from '@sapa/service-kit';
import { createTenant, testEnv, type TestTenant } from '@sapa/test-support';
import { graphFailures, startFakeGraphApi, type FakeGraphApi } from '../../../tests/support/fakes/graph-api.js';
import { startOutboundWorkers } from '../src/index.js';
import { seedReply, type SeededReply } from './helpers/seed-reply.js';
import { waitFor } from './helpers/wait-for.js';

const env = testEnv();
const logger = createLogger({ service: 'gateway-test', level: 'silent', pretty: false });
const secretBox = createSecretBox(env.secretKey);
const PHONE_NUMBER_ID = '106540352242922';
const ACCESS_TOKEN = `EAAG${randomUUID().replaceAll('-', '')}`;

let db: Kysely<DB>;
let redis: Redis;
let tenant: TestTenant;
let graph: FakeGraphApi;
let channelId: string;

let prefix: string;
let producer: Producer;
let workers: Worker[];

beforeAll(async () => {
  db = createDb({ connectionString: env.databaseUrl, max: 4 });
  redis = createRedis(env.redisUrl);
  tenant = await createTenant(db);
  graph = await startFakeGraphApi();
  const row = await db
    .insertInto('channels')
    .values({
      tenant_id: tenant.id,
      type: 'whatsapp_cloud',
      name: 'WA CS',
      team_id: null,
      config: JSON.stringify({ phoneNumberId: PHONE_NUMBER_ID, graphApiBase: graph.url }),
      secrets_enc: secretBox.seal({ accessToken: ACCESS_TOKEN, appSecret: 'outbound-test-app-secret', verifyToken: 'outbound-verify' }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  channelId = row.id;
});

afterAll(async () => {
  await graph.close();
  await redis.quit();
  await db.destroy();
});

beforeEach(() => {
  prefix = `${env.redisPrefix}:gw-${randomUUID()}`;
  producer = createProducer(redis, prefix);
  graph.requests.length = 0;
  workers = startOutboundWorkers({ db, redis, prefix, secretBox, eventBus: createEventBus(redis, prefix), logger, backoffDelayMs: 10 });
});

afterEach(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await producer.queue('outbound.whatsapp_cloud').obliterate({ force: true });
  await producer.close();
});

/** A reply waiting to go to a customer whose WhatsApp id is `waId`. */
async function reply(text = 'Baik Pak Budi, kami cek dulu ya.'): Promise<SeededReply & { waId: string }> {
  const seeded = await seedReply(db, tenant.id, channelId, { teamId: tenant.teamId, assigneeId: tenant.users.agent1!.id, text });
  const waId = `628${randomInt(100_000_000, 999_999_999)}`;
  await db.updateTable('contact_identities').set({ external_id: waId }).where('contact_id', '=', seeded.contactId).execute();
  const payload: OutboundDelivery = { tenantId: tenant.id, deliveryId: seeded.deliveryId, messageId: seeded.messageId, replay: 0 };
  await producer.add('outbound.whatsapp_cloud', payload);
  return { ...seeded, waId };
}

async function settled(seeded: SeededReply) {
  return waitFor(async () => {
    const delivery = await findDelivery(db, tenant.id, seeded.deliveryId);
    if (!delivery || delivery.status === 'pending') return undefined;
    const message = await db.selectFrom('messages').select(['status', 'external_id']).where('id', '=', seeded.messageId).executeTakeFirstOrThrow();
    return { delivery: delivery.status, message: message.status, externalId: message.external_id, attempts: delivery.attempts, lastError: delivery.last_error };
  }, 'the delivery to settle');
}

describe('outbound.whatsapp_cloud worker', () => {
  it('sends the reply as one text message with the bearer token, and keeps the wamid Meta gave it on the message', async () => {
    const seeded = await reply();

    const outcome = await settled(seeded);
    expect(outcome).toMatchObject({ delivery: 'sent', message: 'sent', attempts: 1, lastError: null });
    const [sent] = graph.messageSends();
    expect(graph.messageSends()).toHaveLength(1);
    expect(sent).toMatchObject({
      httpMethod: 'POST',
      path: `/v21.0/${PHONE_NUMBER_ID}/messages`,
      body: { messaging_product: 'whatsapp', recipient_type: 'individual', to: seeded.waId, type: 'text', text: { body: 'Baik Pak Budi, kami cek dulu ya.' } },
    });
    expect(sent!.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(sent!.headers['content-type']).toBe('application/json');
    expect(outcome.externalId).toMatch(/^wamid\./);
  });

  it('retries a 429 rate limit, no sooner than its Retry-After, then sends', async () => {
    graph.failNext(graphFailures.rateLimited(1));
    const seeded = await reply();

    expect(await settled(seeded)).toMatchObject({ delivery: 'sent', attempts: 2 });
    const [first, second] = graph.messageSends();
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
  });

  it('retries a 500 with backoff', async () => {
    graph.failNext(graphFailures.internal());
    const seeded = await reply();
    expect(await settled(seeded)).toMatchObject({ delivery: 'sent', attempts: 2 });
  });

  it('fails at once, without retrying, when the customer last wrote more than 24 hours ago (131047), and says so', async () => {
    graph.failNext(graphFailures.outsideWindow());
    const seeded = await reply();

    const outcome = await settled(seeded);
    expect(outcome).toMatchObject({ delivery: 'failed', message: 'failed', attempts: 1 });
    expect(outcome.lastError).toMatch(/code 131047/);
    expect(outcome.lastError).toMatch(/24 hours/);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(graph.messageSends()).toHaveLength(1);
  });

  it('fails an expired access token (401) at once, never repeating the token', async () => {
    graph.failNext(graphFailures.expiredToken());
    const seeded = await reply();

    const outcome = await settled(seeded);
    expect(outcome).toMatchObject({ delivery: 'failed', attempts: 1 });
    expect(outcome.lastError).toBe('Graph API answered 401 (code 190): Access token has expired');
    expect(outcome.lastError).not.toContain(ACCESS_TOKEN);
  });
});
