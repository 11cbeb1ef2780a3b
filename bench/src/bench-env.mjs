import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ensureDatabase, migrateToLatest } from '@sapa/db';

const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A database and a Redis key prefix of the bench's own, so a run never touches a developer's data and two runs
 * never collide. Everything it creates is dropped by `teardown()`.
 */
export async function createBenchEnv() {
  const stamp = `${Date.now()}_${randomBytes(2).toString('hex')}`;
  const url = new URL(ADMIN_URL);
  assertLocal(url.hostname, 'Postgres');
  assertLocal(new URL(REDIS_URL).hostname, 'Redis');
  url.pathname = `/sapa_bench_${stamp}`;
  const databaseUrl = url.toString();
  await ensureDatabase(databaseUrl);
  await migrateToLatest(databaseUrl);
  return {
    databaseUrl,
    redisUrl: REDIS_URL,
    prefix: `sapa-bench-${stamp.replace('_', '-')}`,
    secretKey: randomBytes(24).toString('hex'),
  };
}

/** Drops the bench database and every Redis key under the bench prefixes. */
export async function teardownBenchEnv(env, redis) {
  if (redis) {
    for (const pattern of [`${env.prefix}:*`, `${env.prefix}-*`]) await deleteKeys(redis, pattern);
  }
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    const name = new URL(env.databaseUrl).pathname.slice(1);
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

async function deleteKeys(redis, pattern) {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
}

// The bench generates heavy load: it must never be pointed at anything but this machine.
function assertLocal(hostname, what) {
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(hostname)) {
    throw new Error(`${what} for the bench must be on this machine (127.0.0.1), got ${hostname}`);
  }
}
