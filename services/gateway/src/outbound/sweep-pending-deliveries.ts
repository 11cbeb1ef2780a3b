import { QUEUES, outboundQueueFor, type EventBus, type Producer } from '@sapa/queue';
import type { Db } from '@sapa/db/queries/db-handle';
import { findDeliveryToSend, listStalePendingDeliveries, markDeliveryFailed } from '@sapa/db/queries/deliveries';
import type { Logger } from '@sapa/service-kit';
import { isOutbound } from './outbound-queues.js';
import { publishMessageStatus } from './publish-message-status.js';

export interface SweepDeps {
  db: Db;
  producer: Producer;
  eventBus: EventBus;
  logger: Logger;
}

export interface SweepResult {
  requeued: number;
  failed: number;
}

/**
 * Reconciles deliveries left `pending` with their queue: one whose job is missing (the inbox API crashed between
 * its commit and its enqueue, or the job was lost) is enqueued again; one whose job has failed without the worker
 * recording it (the worker died) is marked `failed`, into the dead-letter list. Jobs still waiting, delayed or
 * running are left alone.
 */
export async function sweepPendingDeliveries(deps: SweepDeps, options: { olderThanMs: number; limit: number }): Promise<SweepResult> {
  const result: SweepResult = { requeued: 0, failed: 0 };
  for (const stale of await listStalePendingDeliveries(deps.db, options.olderThanMs, options.limit)) {
    const queue = outboundQueueFor(stale.channelType);
    if (!queue || !isOutbound(queue)) continue;
    const payload = { tenantId: stale.tenantId, deliveryId: stale.id, messageId: stale.messageId, replay: stale.replays };
    const job = await deps.producer.queue(queue).getJob(QUEUES[queue].jobId(payload));
    const state = job ? await job.getState() : 'missing';
    if (state === 'missing' || state === 'unknown') {
      await deps.producer.add(queue, payload);
      result.requeued += 1;
      deps.logger.warn({ tenantId: stale.tenantId, deliveryId: stale.id }, 'pending delivery had no job; enqueued again');
    } else if (state === 'failed') {
      const marked = await markDeliveryFailed(deps.db, stale.tenantId, stale.id, job?.failedReason || 'the job failed', false);
      const toSend = marked && (await findDeliveryToSend(deps.db, stale.tenantId, stale.id));
      if (toSend) await publishMessageStatus(deps.eventBus, deps.logger, toSend, 'failed');
      if (marked) result.failed += 1;
    }
  }
  return result;
}
