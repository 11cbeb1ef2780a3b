import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { createDb, createSecretBox } from '@sapa/db';
import { createEventBus, createProducer, createRedis } from '@sapa/queue';
import { createLogger, createMetrics } from '@sapa/service-kit';
import { testEnv } from '@sapa/test-support';
import { buildInboxApi, type InboxApiDeps, type InboxApiOptions } from '../src/index.js';

export interface Harness {
  deps: InboxApiDeps;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** Deps on this run's database and a Redis prefix of the test's own, so queues and events never mix with others'. */
export function createDeps(prefix = `${testEnv().redisPrefix}:inbox-${randomUUID()}`): InboxApiDeps & { close(): Promise<void> } {
  const env = testEnv();
  const db = createDb({ connectionString: env.databaseUrl, max: 4 });
  const redis = createRedis(env.redisUrl);
  const producer = createProducer(redis, prefix);
  return {
    db,
    redis,
    prefix,
    secretBox: createSecretBox(env.secretKey),
    logger: createLogger({ service: 'inbox-api-test', level: process.env.LOG_LEVEL ?? 'silent', pretty: false }),
    metrics: createMetrics('inbox-api'),
    producer,
    eventBus: createEventBus(redis, prefix),
    async close() {
      await producer.queue('routing').obliterate({ force: true }).catch(() => {});
      await producer.queue('outbound.api').obliterate({ force: true }).catch(() => {});
      await producer.queue('handling').obliterate({ force: true }).catch(() => {});
      await producer.queue('ticket.timers').obliterate({ force: true }).catch(() => {});
      await producer.queue('routing.response').obliterate({ force: true }).catch(() => {});
      await producer.close();
      await redis.quit();
      await db.destroy();
    },
  };
}

/** An inbox API for `inject`, on its own deps. */
export async function createHarness(options: InboxApiOptions = {}): Promise<Harness> {
  const deps = createDeps();
  // The idle sweep covers every tenant: only the test that watches it runs it often, so no other harness's pass
  // turns its agents away first.
  const app = buildInboxApi(deps, { idleSweepMs: 3_600_000, ...options });
  await app.ready();
  return {
    deps,
    app,
    async close() {
      await app.close();
      await deps.close();
    },
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
