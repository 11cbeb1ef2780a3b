import { createDb, createSecretBox } from '@sapa/db';
import { createRedis } from '@sapa/queue';
import { configOrExit, createLogger, createMetrics, installShutdown } from '@sapa/service-kit';
import { routerConfig } from './config.js';
import { startRouter } from './start-router.js';

const config = configOrExit('router', () => routerConfig());
const logger = createLogger({ service: 'router', level: config.LOG_LEVEL });
const db = createDb({ connectionString: config.DATABASE_URL, max: config.ROUTER_CONCURRENCY + 4 });
const redis = createRedis(config.REDIS_URL);
const router = await startRouter({
  db,
  redis,
  prefix: config.SAPA_REDIS_PREFIX,
  logger,
  metrics: createMetrics('router'),
  concurrency: config.ROUTER_CONCURRENCY,
  sweepSeconds: config.ROUTER_SWEEP_SECONDS,
  http: { host: config.ROUTER_HOST, port: config.ROUTER_PORT },
  secretBox: createSecretBox(config.SAPA_SECRET_KEY),
});
logger.info({ port: config.ROUTER_PORT }, 'router started');
installShutdown(logger, [
  { name: 'workers', close: () => router.close() },
  { name: 'redis', close: () => redis.quit() },
  { name: 'postgres', close: () => db.destroy() },
]);
