export interface TestEnv {
  databaseUrl: string;
  redisUrl: string;
  /** Redis key prefix of this run; tests add their own suffix for queues they own. */
  redisPrefix: string;
  secretKey: string;
}

/** This run's database and Redis, as global setup made them. */
export function testEnv(): TestEnv {
  const databaseUrl = process.env.SAPA_TEST_DATABASE_URL;
  const redisUrl = process.env.SAPA_TEST_REDIS_URL;
  const redisPrefix = process.env.SAPA_TEST_REDIS_PREFIX;
  if (!databaseUrl || !redisUrl || !redisPrefix) throw new Error('run tests through jest (npm test): global setup did not run');
  return { databaseUrl, redisUrl, redisPrefix, secretKey: 'test-secret-key-0123456789abcdef' };
}
