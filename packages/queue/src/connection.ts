import { Redis, type RedisOptions } from 'ioredis';

/**
 * A Redis connection as BullMQ needs it: `maxRetriesPerRequest: null` so blocking commands wait out a
 * Redis restart instead of failing jobs.
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...options });
}
export type { Redis } from 'ioredis';
