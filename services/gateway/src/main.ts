import { attachmentSigningKey, attachmentStoreFromConfig } from '@sapa/attachments';
import { createDb, createSecretBox } from '@sapa/db';
import { createRedis } from '@sapa/queue';
import { configOrExit, createLogger, createMetrics, installShutdown } from '@sapa/service-kit';
import { loadGatewayConfig, trustProxyOf } from './config.js';
import { startGateway } from './start-gateway.js';

const config = configOrExit('gateway', () => loadGatewayConfig());
const logger = createLogger({ service: 'gateway', level: config.LOG_LEVEL });
const db = createDb({ connectionString: config.DATABASE_URL });
const redis = createRedis(config.REDIS_URL);

const gateway = await startGateway({
  db,
  redis,
  prefix: config.SAPA_REDIS_PREFIX,
  secretBox: createSecretBox(config.SAPA_SECRET_KEY),
  logger,
  metrics: createMetrics('gateway'),
  host: config.GATEWAY_HOST,
  port: config.GATEWAY_PORT,
  trustProxy: trustProxyOf(config.GATEWAY_TRUST_PROXY),
  attachments: {
    store: attachmentStoreFromConfig(config),
    signingKey: attachmentSigningKey(config.SAPA_SECRET_KEY),
    publicUrl: config.SAPA_PUBLIC_WEBHOOK_URL,
    allowPrivateHosts: config.SAPA_MEDIA_ALLOW_PRIVATE_HOSTS,
  },
});
logger.info({ host: config.GATEWAY_HOST, port: config.GATEWAY_PORT }, 'gateway listening');

// HTTP first (no new webhooks), then workers finish in-flight sends, then the connections close.
installShutdown(logger, [
  { name: 'gateway', close: () => gateway.close() },
  { name: 'redis', close: () => redis.quit() },
  { name: 'db', close: () => db.destroy() },
]);
