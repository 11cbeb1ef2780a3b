import { createDb, createSecretBox } from '@sapa/db';
import { createRedis } from '@sapa/queue';
import { configOrExit, createLogger, createMetrics, installShutdown } from '@sapa/service-kit';
import { voiceConfig } from './config.js';
import { startVoice } from './start-voice.js';

const config = configOrExit('voice', () => voiceConfig());
const logger = createLogger({ service: 'voice', level: config.LOG_LEVEL });
const db = createDb({ connectionString: config.DATABASE_URL, max: config.VOICE_CONCURRENCY + 4 });
const redis = createRedis(config.REDIS_URL);
const voice = await startVoice({
  db,
  redis,
  prefix: config.SAPA_REDIS_PREFIX,
  logger,
  metrics: createMetrics('voice'),
  secretBox: createSecretBox(config.SAPA_SECRET_KEY),
  concurrency: config.VOICE_CONCURRENCY,
  http: { host: config.VOICE_HOST, port: config.VOICE_PORT },
  ami: config.VOICE_AMI_ENABLED
    ? {
        scanMs: config.VOICE_AMI_SCAN_SECONDS * 1000,
        client: { keepaliveMs: config.VOICE_AMI_KEEPALIVE_SECONDS * 1000 },
        ...(config.VOICE_AMI_MAX_SESSIONS !== undefined && { maxSessions: config.VOICE_AMI_MAX_SESSIONS }),
      }
    : false,
});
logger.info({ port: config.VOICE_PORT }, 'voice started');
installShutdown(logger, [
  { name: 'voice', close: () => voice.close() },
  { name: 'redis', close: () => redis.quit() },
  { name: 'postgres', close: () => db.destroy() },
]);
