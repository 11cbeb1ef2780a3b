import type { FastifyInstance } from 'fastify';
import type { Producer, QueueName } from '@sapa/queue';
import type { Metrics } from '@sapa/service-kit';

const STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/** Reads the depth of the gateway's queues into `sapa_queue_jobs` each time `/metrics` is scraped. */
export function reportQueueDepth(app: FastifyInstance, metrics: Metrics, producer: Producer, queues: QueueName[]): void {
  app.addHook('onRequest', async (request) => {
    if (request.url !== '/metrics') return;
    await Promise.all(
      queues.map(async (queue) => {
        const counts = await producer.queue(queue).getJobCounts(...STATES);
        for (const state of STATES) metrics.queueDepth.set({ queue, state }, counts[state] ?? 0);
      }),
    );
  });
}
