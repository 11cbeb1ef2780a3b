import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { Redis } from 'ioredis';

/** After all tests: drop this run's database and delete its Redis keys. */
export default async function globalTeardown() {
  const databaseUrl = process.env.SAPA_TEST_DATABASE_URL;
  const redisUrl = process.env.SAPA_TEST_REDIS_URL;
  const prefix = process.env.SAPA_TEST_REDIS_PREFIX;
  if (databaseUrl && !process.env.SAPA_KEEP_TEST_DB) {
    const url = new URL(databaseUrl);
    const name = url.pathname.slice(1);
    url.pathname = '/postgres';
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.end();
  }
  if (redisUrl && prefix) {
    const redis = new Redis(redisUrl);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== '0');
    await redis.quit();
  }
  for (const id of globalThis.sapaContainers ?? []) {
    execFileSync('docker', ['rm', '-f', id], { stdio: 'ignore' });
  }
}
