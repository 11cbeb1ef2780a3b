import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '@sapa/contracts';
import { createEventBus, createProducer, type EventBus, type Producer, type QueueName, type Redis } from '@sapa/queue';
import { testEnv } from '@sapa/test-support';

/** One test's own Redis prefix: its queues, and the domain events published under it as they arrive. */
export interface QueueScope {
  prefix: string;
  producer: Producer;
  eventBus: EventBus;
  events: DomainEvent[];
  /** Stops listening, empties these queues and closes the producer. */
  close(...queues: QueueName[]): Promise<void>;
}

export async function openQueueScope(redis: Redis): Promise<QueueScope> {
  const prefix = `${testEnv().redisPrefix}:gw-${randomUUID()}`;
  const producer = createProducer(redis, prefix);
  const eventBus = createEventBus(redis, prefix);
  const events: DomainEvent[] = [];
  const unsubscribe = await eventBus.subscribe((event) => events.push(event));
  return {
    prefix,
    producer,
    eventBus,
    events,
    async close(...queues) {
      await unsubscribe();
      for (const queue of queues) await producer.queue(queue).obliterate({ force: true });
      await producer.close();
    },
  };
}
