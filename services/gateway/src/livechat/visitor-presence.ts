import type { Redis } from '@sapa/queue';

/**
 * Which sockets a visitor has open across every gateway replica: a sorted set per visitor, socket id → the time it
 * counts as gone unless refreshed. Each replica refreshes its sockets at every keepalive round, so a replica that
 * dies takes its sockets with it within `ttlMs` instead of keeping a visitor "here" for good.
 */
export interface VisitorPresence {
  join(visitorId: string, socketId: string): Promise<void>;
  refresh(entries: ReadonlyArray<{ visitorId: string; socketId: string }>): Promise<void>;
  /** Drops the socket; resolves with how many sockets of the visitor are still open anywhere. */
  leave(visitorId: string, socketId: string): Promise<number>;
  count(visitorId: string): Promise<number>;
}

export function createVisitorPresence(redis: Redis, prefix: string, ttlMs: number): VisitorPresence {
  const key = (visitorId: string) => `${prefix}:livechat:presence:${visitorId}`;
  const live = async (visitorId: string) => {
    const [, count] = (await redis.multi().zremrangebyscore(key(visitorId), '-inf', Date.now()).zcard(key(visitorId)).exec()) ?? [];
    return Number(count?.[1] ?? 0);
  };
  return {
    async join(visitorId, socketId) {
      await redis.multi().zadd(key(visitorId), Date.now() + ttlMs, socketId).pexpire(key(visitorId), 2 * ttlMs).exec();
    },
    async refresh(entries) {
      if (entries.length === 0) return;
      const tx = redis.multi();
      for (const e of entries) tx.zadd(key(e.visitorId), Date.now() + ttlMs, e.socketId).pexpire(key(e.visitorId), 2 * ttlMs);
      await tx.exec();
    },
    async leave(visitorId, socketId) {
      await redis.zrem(key(visitorId), socketId);
      return live(visitorId);
    },
    count: live,
  };
}
