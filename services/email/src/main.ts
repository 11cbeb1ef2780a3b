import { attachmentStoreFromConfig } from '@sapa/attachments';
import { createDb, createSecretBox } from '@sapa/db';
import { createRedis } from '@sapa/queue';
import { configOrExit, createLogger, createMetrics, installShutdown } from '@sapa/service-kit';
import { emailConfig } from './config.js';
import { startEmail } from './start-email.js';

const config = configOrExit('email', () => emailConfig());
const logger = createLogger({ service: 'email', level: config.LOG_LEVEL });
const db = createDb({ connectionString: config.DATABASE_URL, max: config.EMAIL_SEND_CONCURRENCY + 8 });
const redis = createRedis(config.REDIS_URL);
const email = await startEmail({
  db,
  redis,
  prefix: config.SAPA_REDIS_PREFIX,
  secretBox: createSecretBox(config.SAPA_SECRET_KEY),
  store: attachmentStoreFromConfig(config),
  logger,
  metrics: createMetrics('email'),
  http: { host: config.EMAIL_HOST, port: config.EMAIL_PORT },
  leaseMs: config.EMAIL_LEASE_MS,
  scanMs: config.EMAIL_SCAN_SECONDS * 1000,
  ...(config.EMAIL_MAX_MAILBOXES !== undefined && { maxMailboxes: config.EMAIL_MAX_MAILBOXES }),
  sendConcurrency: config.EMAIL_SEND_CONCURRENCY,
  sendTimeoutMs: config.EMAIL_SEND_TIMEOUT_MS,
});
logger.info({ port: config.EMAIL_PORT }, 'email service started');
installShutdown(logger, [
  { name: 'email', close: () => email.close() },
  { name: 'redis', close: () => redis.quit() },
  { name: 'postgres', close: () => db.destroy() },
]);
