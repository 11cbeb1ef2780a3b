import type { Worker } from 'bullmq';
import type { MediaFetch } from '@sapa/contracts';
import { startWorker, type QueueName, type Redis } from '@sapa/queue';
import { fetchMessageMedia, type MediaDeps } from './fetch-message-media.js';

export interface MediaWorkerDeps extends MediaDeps {
  redis: Redis;
  prefix: string;
  concurrency?: number;
  onOutcome?: (queue: QueueName, outcome: 'completed' | 'failed') => void;
}

/** The `media.fetch` worker: keeps the files of inbound messages (fetch-message-media.ts). `close()` to drain. */
export function startMediaWorker(deps: MediaWorkerDeps): Worker<MediaFetch> {
  return startWorker(
    'media.fetch',
    async (payload, job) => {
      const isLastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const outcome = await fetchMessageMedia(deps, payload, isLastAttempt);
      deps.logger.info({ tenantId: payload.tenantId, messageId: payload.messageId, jobId: job.id, outcome }, 'media fetched');
      return outcome;
    },
    {
      connection: deps.redis,
      prefix: deps.prefix,
      logger: deps.logger,
      // Downloads wait on the network, not the CPU; a few at once, and memory holds at most that many files.
      concurrency: deps.concurrency ?? 4,
      ...(deps.onOutcome && { onOutcome: deps.onOutcome }),
    },
  );
}
