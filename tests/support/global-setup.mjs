import { ensureDatabase, migrateToLatest } from '../../packages/db/dist/index.js';
import { provideServices } from './provide-services.mjs';

/**
 * Before any test: each run gets its own database and Redis key prefix, so two runs (or a run beside a
 * running demo stack) never collide. Uses the Postgres and Redis that answer at DATABASE_URL / REDIS_URL
 * (or their defaults); starts them with testcontainers only when they do not answer and Docker does.
 * Plain JavaScript on the built `@sapa/db`: Jest loads global setup outside its module mapper.
 */
export default async function globalSetup() {
  const services = await provideServices();
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const dbUrl = new URL(services.postgresUrl);
  dbUrl.pathname = `/sapa_test_${runId}`;
  const databaseUrl = dbUrl.toString();
  await ensureDatabase(databaseUrl);
  await migrateToLatest(databaseUrl);
  const env = { SAPA_TEST_DATABASE_URL: databaseUrl, SAPA_TEST_REDIS_URL: services.redisUrl, SAPA_TEST_REDIS_PREFIX: `sapa-test-${runId}` };
  Object.assign(process.env, env);
  // Teardown runs in this same process and reads these back.
  globalThis.sapaContainers = services.containerIds;
}
