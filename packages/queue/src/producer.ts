import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES, type QueueName, type QueuePayloads } from './queues.js';

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
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
