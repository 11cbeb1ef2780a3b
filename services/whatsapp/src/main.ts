import { attachmentStoreFromConfig } from '@sapa/attachments';
import { createDb, createSecretBox } from '@sapa/db';
import { createRedis } from '@sapa/queue';
import { configOrExit, createLogger, createMetrics, installShutdown } from '@sapa/service-kit';
import { whatsappConfig } from './config.js';
import { baileysConnector } from './socket/baileys-socket.js';
import { startWhatsapp } from './start-whatsapp.js';

const config = configOrExit('whatsapp', () => whatsappConfig());
const store = configOrExit('whatsapp', () => attachmentStoreFromConfig(config));
const logger = createLogger({ service: 'whatsapp', level: config.LOG_LEVEL });
const db = createDb({ connectionString: config.DATABASE_URL, max: config.WHATSAPP_OUTBOUND_CONCURRENCY + 8 });
const redis = createRedis(config.REDIS_URL);
const whatsapp = await startWhatsapp({
  db,
  redis,
  prefix: config.SAPA_REDIS_PREFIX,
  secretBox: createSecretBox(config.SAPA_SECRET_KEY),
  store,
  logger,
  metrics: createMetrics('whatsapp'),
  connect: baileysConnector(),
  leaseTtlMs: config.WHATSAPP_LEASE_TTL_MS,
  outboundConcurrency: config.WHATSAPP_OUTBOUND_CONCURRENCY,
  ...(config.WHATSAPP_MAX_SESSIONS !== undefined && { maxSessions: config.WHATSAPP_MAX_SESSIONS }),
  http: { host: config.WHATSAPP_HOST, port: config.WHATSAPP_PORT },
});
logger.info({ port: config.WHATSAPP_PORT }, 'whatsapp started');
installShutdown(logger, [
  { name: 'whatsapp', close: () => whatsapp.close() },
  { name: 'redis', close: () => redis.quit() },
  { name: 'postgres', close: () => db.destroy() },
]);
