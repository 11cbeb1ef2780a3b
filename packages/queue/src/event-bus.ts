import type { Redis } from 'ioredis';
import type { DomainEvent } from '@sapa/contracts';

/**
 * Domain events on Redis pub/sub: every inbox-api instance subscribes and fans out to its sockets.
 * Pub/sub is at-most-once by design; events are notifications, Postgres stays the record.
 */
export interface EventBus {
  publish(event: Omit<DomainEvent, 'at'>): Promise<void>;
  subscribe(handler: (event: DomainEvent) => void): Promise<() => Promise<void>>;
}

export function createEventBus(publisher: Redis, prefix: string): EventBus {
  const channel = `${prefix}:events`;
  return {
    async publish(event) {
      await publisher.publish(channel, JSON.stringify({ ...event, at: new Date().toISOString() }));
    },
    async subscribe(handler) {
      // A subscribed connection can do nothing else, so it gets its own.
      const subscriber = publisher.duplicate();
      subscriber.on('message', (ch: string, raw: string) => {
        if (ch !== channel) return;
        try {
          handler(JSON.parse(raw) as DomainEvent);
        } catch {
          // A malformed event is dropped: it came from a buggy publisher, not from a user.
        }
      });
      await subscriber.subscribe(channel);
      return async () => {
        await subscriber.quit();
      };
    },
  };
}
