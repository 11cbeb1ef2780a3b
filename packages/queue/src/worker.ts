import { Worker, type Job, type WorkerOptions } from 'bullmq';
import { settleBeforeClose } from './settle-before-close.js';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { QueueName, QueuePayloads } from './queues.js';

export interface WorkerSettings {
  connection: Redis;
  prefix: string;
  logger: Logger;
  concurrency?: number;
  /** Called when a job has run out of attempts, after BullMQ marked it failed. */
  onExhausted?: (job: Job, error: Error) => Promise<void>;
  /** Counts outcomes (e.g. the service's Prometheus counter). */
  onOutcome?: (queue: QueueName, outcome: 'completed' | 'failed') => void;
  options?: Partial<WorkerOptions>;
}

/**
 * Starts a typed worker on one queue. `close()` on the returned worker waits for in-flight jobs to finish,
 * which is what graceful shutdown needs.
 */
export function startWorker<N extends QueueName>(
  name: N,
  processor: (payload: QueuePayloads[N], job: Job<QueuePayloads[N]>) => Promise<unknown>,
  settings: WorkerSettings,
): Worker<QueuePayloads[N]> {
  const worker = new Worker<QueuePayloads[N]>(name, (job) => processor(job.data, job), {
    connection: settings.connection,
    prefix: settings.prefix,
    concurrency: settings.concurrency ?? 8,
    ...settings.options,
  });
  worker.on('completed', () => settings.onOutcome?.(name, 'completed'));
  worker.on('failed', (job, error) => {
    settings.onOutcome?.(name, 'failed');
    if (!job) return;
    const exhausted = job.attemptsMade >= (job.opts.attempts ?? 1) || error.name === 'UnrecoverableError';
    settings.logger.warn({ queue: name, jobId: job.id, attempt: job.attemptsMade, exhausted, err: error }, 'job failed');
    if (exhausted && settings.onExhausted) {
      settings.onExhausted(job, error).catch((err: unknown) => settings.logger.error({ err, jobId: job.id }, 'onExhausted failed'));
    }
  });
  worker.on('error', (err) => settings.logger.error({ err, queue: name }, 'worker error'));
  // A worker closed right after it started (a shutdown during start-up, a short test) may still be setting up its
  // blocking connection: let that settle first (settle-before-close.ts), or its failure is thrown unheard.
  const close = worker.close.bind(worker);
  worker.close = async (force?: boolean) => {
    await settleBeforeClose(() => worker.waitUntilReady());
    return close(force);
  };
  return worker;
}

export { UnrecoverableError, type Job } from 'bullmq';
