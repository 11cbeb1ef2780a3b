import { attachmentSigningKey, attachmentStoreFromConfig } from '@sapa/attachments';
import { createDb, createSecretBox } from '@sapa/db';
import { createEventBus, createProducer, createRedis } from '@sapa/queue';
import { ConfigError, createLogger, createMetrics, installShutdown } from '@sapa/service-kit';
import { loadInboxConfig } from './config.js';
import { startInboxApi } from './start.js';

// The one place that reads the environment and starts the inbox API.
const config = (() => {
  try {
    return loadInboxConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // One clear message listing every bad variable, then stop (api-contract.md §Configuration).
    console.error(`inbox-api: ${err.message}`);
    process.exit(1);
  }
})();

const logger = createLogger({ service: 'inbox-api', level: config.LOG_LEVEL });
const metrics = createMetrics('inbox-api');
const db = createDb({ connectionString: config.DATABASE_URL });
const redis = createRedis(config.REDIS_URL);
const producer = createProducer(redis, config.SAPA_REDIS_PREFIX);
const eventBus = createEventBus(redis, config.SAPA_REDIS_PREFIX);

const running = await startInboxApi(
  {
    db, redis, prefix: config.SAPA_REDIS_PREFIX, secretBox: createSecretBox(config.SAPA_SECRET_KEY), logger, metrics, producer, eventBus,
    files: { store: attachmentStoreFromConfig(config), signingKey: attachmentSigningKey(config.SAPA_SECRET_KEY), publicApiUrl: config.SAPA_PUBLIC_API_URL },
  },
  { port: config.INBOX_PORT, host: config.INBOX_HOST },
  { sessionTtlSeconds: config.INBOX_SESSION_TTL_SECONDS, slaMinuteMs: config.SAPA_SLA_MINUTE_MS, publicWebhookUrl: config.SAPA_PUBLIC_WEBHOOK_URL },
);

installShutdown(logger, [
  { name: 'http', close: () => running.close() },
  { name: 'producer', close: () => producer.close() },
  { name: 'redis', close: () => redis.quit() },
  { name: 'postgres', close: () => db.destroy() },
]);
