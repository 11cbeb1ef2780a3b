import { startWorker, type EventBus, type QueueName, type Redis } from '@sapa/queue';
import type { Worker } from 'bullmq';
import type { OutboundDelivery } from '@sapa/contracts';
import type { SecretBox } from '@sapa/db';
import type { Db } from '@sapa/db/queries/db-handle';
import type { Logger } from '@sapa/service-kit';
import { outboundBackoff } from './backoff.js';
import type { AttachmentAccess, OutboundAdapter } from '../channels/channel-adapter.js';
import { deliver } from './deliver.js';
import { outboundQueues, type OutboundQueueName } from './outbound-queues.js';
import { registrySender } from './registry-sender.js';
import { createSendThrottle } from './send-throttle.js';

export interface OutboundWorkerDeps {
  db: Db;
  /** BullMQ connection (maxRetriesPerRequest null). */
  redis: Redis;
  prefix: string;
  secretBox: SecretBox;
  eventBus: EventBus;
  logger: Logger;
  onOutcome?: (queue: QueueName, outcome: 'completed' | 'failed') => void;
  concurrency?: number;
  /** Longest wait for a channel to answer one send (default 10 s). */
  sendTimeoutMs?: number;
  /** Overrides the base of the exponential retry delay of the queue map (default: the job's own, 1 s). */
  backoffDelayMs?: number;
  /** A tenant's stored files (SendOptions.attachments); absent: messages with stored files fail to send. */
  attachmentsFor?: (tenantId: string) => AttachmentAccess;
  /**
   * The queues to serve and who sends their deliveries: by default every outbound queue of the gateway's channel
   * adapters, each sent by its adapter. A service that sends on a channel of its own (the email service's SMTP) gives
   * its queue and its sender, and keeps the same delivery model: retries, dead letters, `message.updated`.
   */
  queues?: readonly OutboundQueueName[];
  sender?: OutboundAdapter;
}

/** One worker per outbound queue served (by default the gateway's: `outbound.api`, …). `close()` each to drain. */
export function startOutboundWorkers(deps: OutboundWorkerDeps): Worker<OutboundDelivery>[] {
  const sendTimeoutMs = deps.sendTimeoutMs ?? 10_000;
  const sender = deps.sender ?? registrySender;
  const publish = async (topic: string, message: string) => void (await deps.redis.publish(`${deps.prefix}:${topic}`, message));
  const throttle = createSendThrottle(deps.redis, deps.prefix);
  return (deps.queues ?? outboundQueues()).map((queue) =>
    startWorker(
      queue,
      async (payload, job) => {
        const isLastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        const outcome = await deliver({ ...deps, sender, sendTimeoutMs, publish, throttle }, payload, isLastAttempt);
        deps.logger.info({ tenantId: payload.tenantId, deliveryId: payload.deliveryId, jobId: job.id, queue, outcome }, 'delivery done');
        return outcome;
      },
      {
        connection: deps.redis,
        prefix: deps.prefix,
        logger: deps.logger,
        concurrency: deps.concurrency ?? 16,
        ...(deps.onOutcome && { onOutcome: deps.onOutcome }),
        options: { settings: { backoffStrategy: outboundBackoff(deps.backoffDelayMs) } },
      },
    ),
  );
}
