import { randomUUID } from 'node:crypto';
import type { InboundMessage } from '@sapa/contracts';
import { createDb, createSecretBox } from '@sapa/db';
import { createEventBus, createProducer, createRedis } from '@sapa/queue';
import { createLogger, createMetrics } from '@sapa/service-kit';
import { testEnv } from '@sapa/test-support';
import { startRouter, type RunningRouter } from '../src/index.js';

/** Real Postgres, real Redis, real BullMQ: a router (or several) on a queue prefix of the test's own. */
export function routerHarness() {
  const env = testEnv();
  const prefix = `${env.redisPrefix}:router-${randomUUID().slice(0, 8)}`;
  const db = createDb({ connectionString: env.databaseUrl, max: 20 });
  const redis = createRedis(env.redisUrl);
  const producer = createProducer(redis, prefix);
  const bus = createEventBus(redis, prefix);
  const routers: RunningRouter[] = [];
  const connections: Array<ReturnType<typeof createRedis>> = [];
  const logger = createLogger({ service: 'router-test', level: 'warn', pretty: false });
  const secretBox = createSecretBox(env.secretKey);
  const routerMetrics: Array<ReturnType<typeof createMetrics>> = [];

  return {
    db,
    secretBox,
    /** The metrics of each router started, in order. */
    routerMetrics,
    redis,
    prefix,
    producer,
    bus,
    async startRouter(): Promise<RunningRouter> {
      const connection = createRedis(env.redisUrl);
      connections.push(connection);
      const metrics = createMetrics('router');
      routerMetrics.push(metrics);
      const r = await startRouter({ db, redis: connection, prefix, logger, metrics, sweepSeconds: 1, settingsTtlMs: 100, secretBox });
      routers.push(r);
      return r;
    },
    send(m: Omit<InboundMessage, 'receivedAt' | 'attachments'> & Partial<Pick<InboundMessage, 'attachments'>>) {
      return producer.add('inbound', { attachments: [], receivedAt: new Date().toISOString(), ...m });
    },
    /** Resolves once the inbound queue has nothing waiting or running. */
    async settle(timeoutMs = 20_000): Promise<void> {
      const q = producer.queue('inbound');
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const c = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        if (Object.values(c).every((n) => n === 0)) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('inbound queue did not settle');
    },
    async close(): Promise<void> {
      await Promise.all(routers.map((r) => r.close()));
      await Promise.all(connections.map((c) => c.quit()));
      for (const name of ['inbound', 'routing', 'routing.response'] as const) {
        await producer.queue(name).obliterate({ force: true }).catch(() => undefined);
      }
      await producer.close();
      await redis.quit();
      await db.destroy();
    },
  };
}

/** Polls until `check` returns a value that is not undefined/false. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
