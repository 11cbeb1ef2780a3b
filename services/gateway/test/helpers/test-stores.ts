import { createDb, createSecretBox, type DB, type Kysely } from '@sapa/db';
import { createRedis, type Redis } from '@sapa/queue';
import { createLogger } from '@sapa/service-kit';
import { createTenant, testEnv, type TestTenant, type UserSpec } from '@sapa/test-support';

/** The secret box of this test run: what the inbox API sealed with, the gateway opens with. */
export const testSecretBox = createSecretBox(testEnv().secretKey);

/** A logger that says nothing: tests read outcomes, not log lines. */
export const silentLogger = createLogger({ service: 'gateway-test', level: 'silent', pretty: false });

export interface TestStores {
  db: Kysely<DB>;
  redis: Redis;
  tenant: TestTenant;
}

/** This run's database (a small pool), a Redis connection and a fresh tenant (`users` as createTenant takes them). */
export async function openTestStores(users?: Record<string, UserSpec>): Promise<TestStores> {
  const env = testEnv();
  const db = createDb({ connectionString: env.databaseUrl, max: 4 });
  const redis = createRedis(env.redisUrl);
  return { db, redis, tenant: await createTenant(db, users) };
}

export async function closeTestStores(stores: Pick<TestStores, 'db' | 'redis'>): Promise<void> {
  await stores.redis.quit();
  await stores.db.destroy();
}
