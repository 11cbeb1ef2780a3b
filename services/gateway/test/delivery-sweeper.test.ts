import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { UnrecoverableError, Worker } from 'bullmq';
import type { OutboundDelivery } from '@sapa/contracts';
import { createDb, type DB, type Kysely } from '@sapa/db';
import { findDelivery } from '@sapa/db/queries/deliveries';
import { QUEUES, createEventBus, createProducer, createRedis, type Producer, type Redis } from '@sapa/queue';
import { createLogger } from '@sapa/service-kit';
import { createApiChannel, createTenant, testEnv, type TestTenant } from '@sapa/test-support';
import { startDeliverySweeper, sweepPendingDeliveries, type SweepDeps } from '../src/index.js';
import { seedReply, type SeededReply } from './helpers/seed-reply.js';
import { waitFor } from './helpers/wait-for.js';

const env = testEnv();
const logger = createLogger({ service: 'gateway-test', level: 'silent', pretty: false });
// Other test files share this database: this file's deliveries are made an hour old, theirs are younger than this.
const STALE = { olderThanMs: 30 * 60_000, limit: 500 };

let db: Kysely<DB>;
let redis: Redis;
let tenant: TestTenant;
let channelId: string;
let prefix: string;
let producer: Producer;
let deps: SweepDeps;

beforeAll(async () => {
  db = createDb({ connectionString: env.databaseUrl, max: 4 });
  redis = createRedis(env.redisUrl);
  tenant = await createTenant(db, {});
  channelId = (await createApiChannel(db, tenant.id)).id;
});

afterAll(async () => {
  await redis.quit();
  await db.destroy();
});

beforeEach(() => {
  prefix = `${env.redisPrefix}:gw-${randomUUID()}`;
  producer = createProducer(redis, prefix);
  deps = { db, producer, eventBus: createEventBus(redis, prefix), logger };
});

afterEach(async () => {
  // The sweeper looks across tenants: leave nothing stale behind for the next test.
  await db.deleteFrom('deliveries').where('tenant_id', '=', tenant.id).execute();
  await producer.queue('outbound.api').obliterate({ force: true });
  await producer.close();
});

async function stalePendingReply(): Promise<SeededReply> {
  const seeded = await seedReply(db, tenant.id, channelId, { teamId: tenant.teamId });
  await db.updateTable('deliveries').set({ updated_at: sql`now() - interval '1 hour'` }).where('id', '=', seeded.deliveryId).execute();
  return seeded;
}

const payloadOf = (seeded: SeededReply, replay = 0): OutboundDelivery => ({
  tenantId: tenant.id,
  deliveryId: seeded.deliveryId,
  messageId: seeded.messageId,
  replay,
});

async function jobState(seeded: SeededReply): Promise<string> {
  const job = await producer.queue('outbound.api').getJob(QUEUES['outbound.api'].jobId(payloadOf(seeded)));
  return job ? job.getState() : 'missing';
}

describe('delivery sweeper', () => {
  it('enqueues again a delivery left pending with no job (a crash between the commit and the enqueue)', async () => {
    const seeded = await stalePendingReply();

    const result = await sweepPendingDeliveries(deps, STALE);

    expect(result.requeued).toBeGreaterThanOrEqual(1);
    expect(await jobState(seeded)).toBe('waiting');
  });

  it('leaves alone a pending delivery whose job is still waiting', async () => {
    const seeded = await stalePendingReply();
    await producer.add('outbound.api', payloadOf(seeded));

    await sweepPendingDeliveries(deps, STALE);

    expect(await producer.queue('outbound.api').getJobCounts('waiting')).toMatchObject({ waiting: 1 });
    expect((await findDelivery(db, tenant.id, seeded.deliveryId))?.status).toBe('pending');
  });

  it('moves to failed a pending delivery whose job failed without the worker recording it', async () => {
    const seeded = await stalePendingReply();
    await producer.add('outbound.api', payloadOf(seeded));
    // Stands in for a worker that died: the job ends failed and nobody wrote the outcome to Postgres.
    const dying = new Worker('outbound.api', () => Promise.reject(new UnrecoverableError('job stalled more than allowable limit')), {
      connection: redis,
      prefix,
    });
    await waitFor(async () => ((await jobState(seeded)) === 'failed' ? true : undefined), 'the job to fail');
    await dying.close();

    await sweepPendingDeliveries(deps, STALE);

    const delivery = await findDelivery(db, tenant.id, seeded.deliveryId);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 0, last_error: 'job stalled more than allowable limit' });
    const message = await db.selectFrom('messages').select('status').where('id', '=', seeded.messageId).executeTakeFirstOrThrow();
    expect(message.status).toBe('failed');
  });

  it('does not touch deliveries younger than the threshold', async () => {
    const seeded = await seedReply(db, tenant.id, channelId, { teamId: tenant.teamId });

    await sweepPendingDeliveries(deps, STALE);

    expect(await jobState(seeded)).toBe('missing');
  });

  it('runs on a timer, one replica per interval thanks to its Redis lock', async () => {
    const seeded = await stalePendingReply();
    const sweepers = [1, 2].map(() => startDeliverySweeper(deps, { redis, prefix, intervalMs: 50, ...STALE }));
    try {
      await waitFor(async () => ((await jobState(seeded)) === 'waiting' ? true : undefined), 'the sweeper to enqueue');
    } finally {
      await Promise.all(sweepers.map((s) => s.stop()));
    }
    expect(await redis.exists(`${prefix}:lock:delivery-sweeper`)).toBeLessThanOrEqual(1);
  });
});
