import { createDb } from '@sapa/db';
import { createRedis } from '@sapa/queue';
import { configOrExit, createLogger, createMetrics, installShutdown } from '@sapa/service-kit';
import { ticketsConfig } from './config.js';
import { startTickets } from './start-tickets.js';

const config = configOrExit('tickets', () => ticketsConfig());
const logger = createLogger({ service: 'tickets', level: config.LOG_LEVEL });
const db = createDb({ connectionString: config.DATABASE_URL, max: config.TICKETS_HANDLING_CONCURRENCY + config.TICKETS_TIMER_CONCURRENCY + 4 });
const redis = createRedis(config.REDIS_URL);
const tickets = await startTickets({
  db,
  redis,
  prefix: config.SAPA_REDIS_PREFIX,
  logger,
  metrics: createMetrics('tickets'),
  handlingConcurrency: config.TICKETS_HANDLING_CONCURRENCY,
  timerConcurrency: config.TICKETS_TIMER_CONCURRENCY,
  http: { host: config.TICKETS_HOST, port: config.TICKETS_PORT },
});
logger.info({ port: config.TICKETS_PORT }, 'tickets started');
installShutdown(logger, [
  { name: 'workers', close: () => tickets.close() },
  { name: 'redis', close: () => redis.quit() },
  { name: 'postgres', close: () => db.destroy() },
]);
