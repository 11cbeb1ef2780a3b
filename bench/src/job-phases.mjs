import { Queue } from 'bullmq';
import { createRedis } from '@sapa/queue';
import { summarize } from './stats.mjs';
import { sequenceOf } from './webhook-requests.mjs';

/**
 * Where a message's end-to-end time went, from the timestamps BullMQ keeps on each completed `inbound` job
 * (the queue keeps the last 10,000): send → job added (gateway: verify, dedupe claim, add), added → taken by a
 * router worker (queue wait), taken → finished (persist, assign, publish). `sentAt` is on the bench's
 * performance clock; `wallOffset` converts BullMQ's Date.now() stamps to it.
 */
export async function jobPhases({ redisUrl, prefix, phase, sentAt, events, wallOffset }) {
  const connection = createRedis(redisUrl);
  const queue = new Queue('inbound', { connection, prefix });
  try {
    const jobs = await queue.getJobs(['completed'], 0, 9_999);
    const enqueue = [];
    const wait = [];
    const work = [];
    const publish = [];
    for (const job of jobs) {
      const n = sequenceOf(phase, job.data?.text);
      const sent = n === undefined ? undefined : sentAt.get(n);
      if (sent === undefined || !job.processedOn || !job.finishedOn) continue;
      const added = job.timestamp - wallOffset;
      enqueue.push(added - sent);
      wait.push(job.processedOn - job.timestamp);
      work.push(job.finishedOn - job.processedOn);
      const event = events.get(n);
      if (event) publish.push(event.at - (job.processedOn - wallOffset));
    }
    return {
      sample: enqueue.length,
      enqueue: summarize(enqueue),
      queueWait: summarize(wait),
      processing: summarize(work),
      takenToEvent: summarize(publish),
    };
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

/** Jobs of `inbound` still to do; 0 when the router has caught up. */
export async function inboundBacklog(queue) {
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
  return Object.values(counts).reduce((s, n) => s + n, 0);
}
