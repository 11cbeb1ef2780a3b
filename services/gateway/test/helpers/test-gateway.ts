import { afterEach, beforeEach } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { QueueName, Redis } from '@sapa/queue';
import type { DB, Kysely } from '@sapa/db';
import { createMetrics } from '@sapa/service-kit';
import { buildGatewayApp, type GatewayAppDeps } from '../../src/index.js';
import { openQueueScope, type QueueScope } from './queue-scope.js';
import { silentLogger, testSecretBox } from './test-stores.js';

export interface TestGateway {
  app: FastifyInstance;
  scope: QueueScope;
  /** Closes the app, then empties `queues` and closes the scope. */
  close(...queues: QueueName[]): Promise<void>;
}

/** The gateway's HTTP app (not listening) on a queue scope of one test's own; `options` override any dependency. */
export async function buildTestGateway(db: Kysely<DB>, redis: Redis, options: Partial<GatewayAppDeps> = {}): Promise<TestGateway> {
  const scope = await openQueueScope(redis);
  const app = await buildGatewayApp({
    db, redis, prefix: scope.prefix, secretBox: testSecretBox, logger: silentLogger, metrics: createMetrics('gateway'), producer: scope.producer, eventBus: scope.eventBus,
    ...options,
  });
  return {
    app,
    scope,
    async close(...queues) {
      await app.close();
      await scope.close(...queues);
    },
  };
}

/**
 * A test gateway for each test of the file: built before it on what `stores` answers then (set in `beforeAll`), closed
 * after it with `queues` emptied. Read `app` and `scope` inside tests.
 */
export function gatewayPerTest(
  stores: () => { db: Kysely<DB>; redis: Redis },
  options: Partial<GatewayAppDeps> = {},
  ...queues: QueueName[]
): { readonly app: FastifyInstance; readonly scope: QueueScope } {
  let current: TestGateway | undefined;
  beforeEach(async () => {
    const { db, redis } = stores();
    current = await buildTestGateway(db, redis, options);
  });
  afterEach(async () => {
    await current?.close(...queues);
    current = undefined;
  });
  const started = () => {
    if (!current) throw new Error('the test gateway is built before each test; read it inside a test');
    return current;
  };
  return {
    get app() {
      return started().app;
    },
    get scope() {
      return started().scope;
    },
  };
}
