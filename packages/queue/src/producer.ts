import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES, type QueueName, type QueuePayloads } from './queues.js';
import { settleBeforeClose } from './settle-before-close.js';

/** Typed access to Sapa's queues for one process; close it on shutdown. */
export interface Producer {
  /** Adds a job with its derived id; resolves once Redis holds it. Returns the job id. */
  add<N extends QueueName>(name: N, payload: QueuePayloads[N], overrides?: { jobId?: string; delay?: number }): Promise<string>;
  queue(name: QueueName): Queue;
  close(): Promise<void>;
}

export function createProducer(connection: Redis, prefix: string): Producer {
  const queues = new Map<QueueName, Queue>();
  const queue = (name: QueueName): Queue => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(name, { connection, prefix });
      // A Queue also emits the errors of its connection (BullMQ asks for a listener). The call that met the error
      // rejects with it and is handled there; unheard, the event would be thrown again as an uncaught exception and
      // end the process — as it did when a late add() built a queue on a connection already shutting down.
      q.on('error', () => undefined);
      queues.set(name, q);
    }
    return q;
  };
  return {
    queue,
    async add(name, payload, overrides) {
      const def = QUEUES[name];
      const jobId = overrides?.jobId ?? def.jobId(payload as never);
      await queue(name).add(name, payload, { ...def.options, jobId, ...(overrides?.delay ? { delay: overrides.delay } : {}) });
      return jobId;
    },
    async close() {
      // A queue built just before (a late add, a metrics read) may still be setting up its connection.
      await Promise.all(
        [...queues.values()].map(async (q) => {
          await settleBeforeClose(() => q.waitUntilReady());
          await q.close();
        }),
      );
    },
  };
}

const DEPTH_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * Has a metrics registry read the job counts of these queues at each scrape (service-kit's `watchQueues`,
 * taken structurally so this package needs no metrics library).
 */
export function reportQueueDepths(
  metrics: { watchQueues(read: () => Promise<Record<string, Record<string, number>>>): void },
  producer: Producer,
  names: QueueName[],
): void {
  metrics.watchQueues(async () => {
    const entries = await Promise.all(names.map(async (name) => [name, await producer.queue(name).getJobCounts(...DEPTH_STATES)] as const));
    return Object.fromEntries(entries);
  });
}
