import type { Redis } from '@sapa/queue';

/** Something for every socket of one visitor, whichever gateway replica holds them. */
export interface VisitorPush {
  visitorId: string;
  frame: Record<string, unknown> & { type: string };
  /** A socket that already has it (the one it came from). */
  skipSocketId?: string;
}

/** The Redis pub/sub topic of live chat pushes, under the deployment's prefix. */
export const LIVECHAT_TOPIC = 'livechat';

/**
 * The live chat's fan-out across gateway replicas: a reply is published once and the replica holding the visitor's
 * socket sends it (Redis pub/sub, at most once). Nothing depends on it for the record: a visitor who was away, or a
 * push lost with a replica, gets the message from Postgres when the widget resumes.
 */
export interface LivechatBus {
  publish(push: VisitorPush): Promise<void>;
  subscribe(handler: (push: VisitorPush) => void): Promise<() => Promise<void>>;
}

export function createLivechatBus(redis: Redis, prefix: string): LivechatBus {
  const channel = `${prefix}:${LIVECHAT_TOPIC}`;
  return {
    async publish(push) {
      await redis.publish(channel, JSON.stringify(push));
    },
    async subscribe(handler) {
      // A subscribed connection can do nothing else, so it gets its own.
      const subscriber = redis.duplicate();
      subscriber.on('message', (ch: string, raw: string) => {
        if (ch !== channel) return;
        let push: VisitorPush;
        try {
          push = JSON.parse(raw) as VisitorPush;
        } catch {
          return; // a malformed push came from a buggy publisher, not from a visitor
        }
        handler(push);
      });
      await subscriber.subscribe(channel);
      return async () => {
        await subscriber.quit();
      };
    },
  };
}
