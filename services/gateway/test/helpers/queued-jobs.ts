import type { Producer, QueueName } from '@sapa/queue';

/** Every job `queue` holds under the producer's prefix, whatever its state, with its id. */
export async function queuedJobs<T>(producer: Producer, queue: QueueName): Promise<Array<{ id: string | undefined; data: T }>> {
  const jobs = await producer.queue(queue).getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
  return jobs.map((job) => ({ id: job.id, data: job.data as T }));
}
