import { outboundQueueFor, type QueueName } from '@sapa/queue';
import { CHANNEL_ADAPTERS } from '../channels/registry.js';

/** Queues whose payload is an OutboundDelivery. */
export type OutboundQueueName = Extract<QueueName, `outbound.${string}`>;

/** The outbound queue of every channel the gateway can send on. */
export function outboundQueues(): OutboundQueueName[] {
  return CHANNEL_ADAPTERS.flatMap((adapter) => {
    const queue = adapter.outbound ? outboundQueueFor(adapter.type) : undefined;
    return queue && isOutbound(queue) ? [queue] : [];
  });
}

export function isOutbound(queue: QueueName): queue is OutboundQueueName {
  return queue.startsWith('outbound.');
}
