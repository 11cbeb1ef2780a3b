import type { Redis } from '@sapa/queue';

/** At most `limit` in `windowSeconds`. */
export interface RateRule {
  limit: number;
  windowSeconds: number;
}

/**
 * What one visitor (or one address, before it is a visitor) may do: the live chat is open to anyone on the site, so
 * a script must not create visitors, fill the queue or the attachment store at machine speed. Generous for people:
 * a new chat every 30 s from one address, a message a second, a file every 30 s.
 */
export interface LivechatRateLimits {
  /** New visitors (`start` frames) per channel and client address. */
  start: RateRule;
  /** Messages per visitor. */
  message: RateRule;
  /** Uploads per visitor. */
  upload: RateRule;
}

export const DEFAULT_LIVECHAT_RATE_LIMITS: LivechatRateLimits = {
  start: { limit: 20, windowSeconds: 600 },
  message: { limit: 60, windowSeconds: 60 },
  upload: { limit: 20, windowSeconds: 600 },
};

export type RateVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts one more under `key` in a fixed window shared by every gateway replica (INCR, and the window's expiry set
 * with the first count, in one MULTI). Over the limit: when the window ends.
 */
export async function takeRate(redis: Redis, key: string, rule: RateRule): Promise<RateVerdict> {
  const result = await redis.multi().incr(key).expire(key, rule.windowSeconds, 'NX').ttl(key).exec();
  const count = Number(result?.[0]?.[1] ?? 0);
  if (count <= rule.limit) return { allowed: true };
  const ttl = Number(result?.[2]?.[1] ?? rule.windowSeconds);
  return { allowed: false, retryAfterSeconds: ttl > 0 ? ttl : rule.windowSeconds };
}
