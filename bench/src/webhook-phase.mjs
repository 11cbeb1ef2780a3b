import { Queue } from 'bullmq';
import { createRedis } from '@sapa/queue';
import { cpuSnapshot, coresUsed } from './cpu-usage.mjs';
import { watchMessageEvents } from './event-watch.mjs';
import { inboundBacklog } from './job-phases.mjs';
import { runPacedLoad } from './paced-load.mjs';
import { samplePgActivity } from './pg-activity.mjs';
import { now, perSecond, sleep, summarize } from './stats.mjs';
import { createWebhookSource } from './webhook-requests.mjs';

/**
 * One load phase against the running gateway and router: signed webhooks at `rate` for `seconds`, while the
 * router's `message.created` events, Postgres activity and CPU per component are recorded; then waits (at most
 * `drainSeconds`) until the router has stored every message. Ack latencies come from autocannon, end-to-end
 * latencies from the events.
 */
export async function runWebhookPhase(ctx, { phase, rate, seconds, drainSeconds = 90 }) {
  const source = createWebhookSource({
    phase,
    channelId: ctx.tenant.channelId,
    signingSecret: ctx.tenant.signingSecret,
    messagesPerContact: ctx.messagesPerContact,
  });
  const watch = await watchMessageEvents(ctx.env.redisUrl, ctx.env.prefix, phase);
  const pgActivity = await samplePgActivity(ctx.env.databaseUrl);
  const cpuBefore = cpuSnapshot(ctx.pids);
  const started = now();
  const load = await runPacedLoad({ url: ctx.gatewayUrl, source, rate, seconds });
  const sendEnded = now();
  const cpuAfter = cpuSnapshot(ctx.pids);
  const drain = drainSeconds > 0 ? await waitDrained(ctx, watch, source, drainSeconds) : { drained: false };
  const backlog = await backlogNow(ctx);
  const pg = await pgActivity.stop();
  await watch.close();

  const accepted = load.statuses[202] ?? 0;
  // Requests still in flight when autocannon stopped got no answer; some reached the gateway, some not.
  const answered = load.latencies.length;
  const e2e = [];
  const doneAt = [];
  let assignedAtEvent = 0;
  for (const [n, event] of watch.seen) {
    const sent = source.sentAt.get(n);
    if (sent === undefined) continue;
    e2e.push(event.at - sent);
    doneAt.push(event.at);
    if (event.status === 'assigned') assignedAtEvent += 1;
  }
  const lastDone = doneAt.length ? Math.max(...doneAt) : sendEnded;
  const buckets = perSecond(doneAt, started, started + seconds * 1000);
  return {
    phase,
    rate,
    seconds,
    source,
    events: watch.seen,
    ingest: {
      sent: load.sent,
      // Lanes start 1/lanes s apart and each runs `seconds`: the full rate holds for `seconds`.
      offeredRate: load.sent / seconds,
      accepted,
      cutOff: load.sent - answered,
      statuses: load.statuses,
      non2xx: load.non2xx,
      errors: load.errors,
      timeouts: load.timeouts,
      latency: summarize(load.latencies),
    },
    endToEnd: {
      stored: watch.seen.size,
      missing: load.sent - watch.seen.size,
      // Acknowledged (202) but never stored: a lost message. Cut-off requests are not counted against it.
      lostAcknowledged: Math.max(0, accepted - watch.seen.size),
      rate: watch.seen.size / Math.max(seconds, (lastDone - started) / 1000 - load.rampSeconds),
      // Seconds 1..n-1: the first second is the lanes' ramp-up.
      slowestSecond: Math.min(...buckets.slice(1)),
      drainAfterSend: (lastDone - sendEnded) / 1000,
      /** From the first send to the last message stored. */
      activeSeconds: (lastDone - started) / 1000,
      drained: drain.drained,
      backlog,
      storedWhileSending: doneAt.filter((t) => t <= sendEnded).length,
      assignedAtEvent,
      latency: summarize(e2e),
    },
    cpu: coresUsed(cpuBefore, cpuAfter),
    sendSeconds: (sendEnded - started) / 1000,
    pg,
  };
}

async function backlogNow(ctx) {
  const connection = createRedis(ctx.env.redisUrl);
  const queue = new Queue('inbound', { connection, prefix: ctx.env.prefix });
  try {
    return await inboundBacklog(queue);
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

async function waitDrained(ctx, watch, source, drainSeconds) {
  const connection = createRedis(ctx.env.redisUrl);
  const queue = new Queue('inbound', { connection, prefix: ctx.env.prefix });
  const deadline = now() + drainSeconds * 1000;
  try {
    while (now() < deadline) {
      if ((await inboundBacklog(queue)) === 0 && watch.seen.size >= source.sent) return { drained: true };
      // The queue is empty but events still missing: give pub/sub a moment, then accept what came.
      if ((await inboundBacklog(queue)) === 0) {
        await sleep(1000);
        return { drained: true };
      }
      await sleep(250);
    }
    return { drained: false };
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
