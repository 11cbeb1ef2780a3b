import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { DB, Kysely } from '@sapa/db';
import type { Redis } from '@sapa/queue';
import type { TestTenant } from '@sapa/test-support';
import { graphFailures, startFakeGraphApi, type FakeGraphApi } from '../../../tests/support/fakes/graph-api.js';
import { insertChannel } from './helpers/channel-rows.js';
import { enqueueDelivery, outboundPerTest, settled as settledFor } from './helpers/outbound-harness.js';
import { seedReply, type SeededReply } from './helpers/seed-reply.js';
import { closeTestStores, openTestStores } from './helpers/test-stores.js';

const PHONE_NUMBER_ID = '106540352242922';
const ACCESS_TOKEN = `EAAG${randomUUID().replaceAll('-', '')}`;

let db: Kysely<DB>;
let redis: Redis;
let tenant: TestTenant;
let graph: FakeGraphApi;
let channelId: string;

beforeAll(async () => {
  ({ db, redis, tenant } = await openTestStores());
  graph = await startFakeGraphApi();
  channelId = await insertChannel(db, tenant.id, {
    type: 'whatsapp_cloud',
    name: 'WA CS',
    config: { phoneNumberId: PHONE_NUMBER_ID, graphApiBase: graph.url },
    secrets: { accessToken: ACCESS_TOKEN, appSecret: 'outbound-test-app-secret', verifyToken: 'outbound-verify' },
  });
});

afterAll(async () => {
  await graph.close();
  await closeTestStores({ db, redis });
});

const outbound = outboundPerTest(() => ({ db, redis }), 'outbound.whatsapp_cloud');

beforeEach(() => {
  graph.requests.length = 0;
});

/** A reply waiting to go to a customer whose WhatsApp id is `waId`. */
async function reply(text = 'Baik Pak Budi, kami cek dulu ya.'): Promise<SeededReply & { waId: string }> {
  const waId = `628${randomInt(100_000_000, 999_999_999)}`;
  const seeded = await seedReply(db, tenant.id, channelId, { teamId: tenant.teamId, assigneeId: tenant.users.agent1!.id, text, externalId: waId });
  await enqueueDelivery(outbound.scope.producer, 'outbound.whatsapp_cloud', tenant.id, seeded);
  return { ...seeded, waId };
}

const settled = (seeded: SeededReply) => settledFor(db, tenant.id, seeded);

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
