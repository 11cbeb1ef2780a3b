import { Queue, Worker } from 'bullmq';
import { QUEUES, createRedis, hashId } from '@sapa/queue';
import { now, perSecond, sleep, summarize } from './stats.mjs';

/**
 * Raw BullMQ on this machine, in this run: the ceiling the message path is compared with. Jobs look like the
 * `inbound` queue's (same options, derived ids, a payload of the same size); the worker does nothing. Producer
 * and worker share this process, so it is one process against Redis where Sapa has two.
 */
export async function measureBullmqBaseline({ redisUrl, prefix, rate, seconds, burst, concurrency }) {
  const producerConnection = createRedis(redisUrl);
  const workerConnection = createRedis(redisUrl);
  const queue = new Queue('bench', { connection: producerConnection, prefix });
  let onProcessed = () => undefined;
  const worker = new Worker('bench', async (job) => onProcessed(job.data), { connection: workerConnection, prefix, concurrency });
  await worker.waitUntilReady();
  let seq = 0;
  const add = () => {
    const n = seq++;
    const payload = jobPayload(n);
    return queue.add('bench', payload, { ...QUEUES.inbound.options, jobId: `raw.${hashId('bench', String(n))}` });
  };
  try {
    const paced = await pacedRun({ add, rate, seconds, setOnProcessed: (fn) => (onProcessed = fn) });
    const saturated = await saturatedRun({ add, count: burst, setOnProcessed: (fn) => (onProcessed = fn) });
    return { paced, saturated, concurrency };
  } finally {
    await worker.close();
    await queue.close();
    producerConnection.disconnect();
    workerConnection.disconnect();
  }
}

/** Adds at a fixed rate; latency is add call → worker runs the job. */
async function pacedRun({ add, rate, seconds, setOnProcessed }) {
  const latencies = [];
  const doneAt = [];
  const total = rate * seconds;
  let resolveAll;
  const all = new Promise((resolve) => (resolveAll = resolve));
  setOnProcessed((data) => {
    const t = now();
    latencies.push(t - data.t);
    doneAt.push(t);
    if (latencies.length === total) resolveAll();
  });
  const started = now();
  const adds = [];
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((now() - started) / 1000) * rate));
    while (sent < due) {
      adds.push(add());
      sent += 1;
    }
    await sleep(1);
  }
  await Promise.all(adds);
  await Promise.race([all, sleep(30_000)]);
  const buckets = perSecond(doneAt, started, started + seconds * 1000);
  return {
    sent: total,
    processed: latencies.length,
    rate: latencies.length / ((Math.max(...doneAt) - started) / 1000),
    slowestSecond: Math.min(...buckets),
    latency: summarize(latencies),
  };
}

/** Adds `count` jobs as fast as Redis takes them (256 adds in flight); reports the processing rate. */
async function saturatedRun({ add, count, setOnProcessed }) {
  let processed = 0;
  let lastAt = 0;
  let resolveAll;
  const all = new Promise((resolve) => (resolveAll = resolve));
  setOnProcessed(() => {
    processed += 1;
    lastAt = now();
    if (processed === count) resolveAll();
  });
  const started = now();
  const inFlight = new Set();
  for (let i = 0; i < count; i++) {
    const p = add().finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= 256) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  await Promise.race([all, sleep(60_000)]);
  return { count, processed, rate: processed / ((lastAt - started) / 1000) };
}

// About the size of an `inbound` job of the webhook phases, so Redis moves the same bytes.
function jobPayload(n) {
  return {
    tenantId: '00000000-0000-4000-8000-000000000000',
    channelId: '00000000-0000-4000-8000-000000000001',
    channelType: 'api',
    externalMessageId: `raw-m${n}`,
    from: { externalId: `raw-c${n % 3000}`, name: `Contact ${n % 3000}` },
    text: `raw #${n}`,
    attachments: [],
    receivedAt: new Date().toISOString(),
    t: now(),
  };
}
