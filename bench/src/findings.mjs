import { cpus } from 'node:os';
import { cpuPerMessage } from './cpu-cost.mjs';

const ms = (v) => `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`;
const share = (list, test) => list.filter((x) => test(x.name)).reduce((s, x) => s + x.share, 0);
const pct = (v) => `${Math.round(v * 100)}%`;

/**
 * "Where the time goes" and "what would fix it", written from this run's own numbers whenever a target is
 * missed (issue 3 §Benchmark). The remedies name the code they would change; they are proposals, not measured.
 */
export function findings(r, verdict) {
  if (verdict.ingest && verdict.e2e) return '';
  const out = ['## Where the time goes', ''];
  if (!verdict.e2e) out.push(...endToEndCauses(r), '');
  if (!verdict.ingest) out.push(...ingestCauses(r), '');
  const noisy = [['end-to-end', r.e2e], ['ingest', r.ingest]].filter(([, phase]) => phase.cpu.other > 0.2);
  if (noisy.length > 0) {
    out.push(
      `- **Not Sapa:** other processes on the machine used ${noisy.map(([name, phase]) => `${phase.cpu.other.toFixed(2)} cores during ${name}`).join(' and ')} (column \`other\` below); those figures are worse than a quiet machine would give.`,
      '',
    );
  }
  out.push('## What would fix it', '');
  if (!verdict.e2e) out.push(...endToEndFixes());
  if (!verdict.ingest) out.push(...ingestFixes(!verdict.e2e));
  out.push('');
  return out.join('\n');
}

function endToEndCauses(r) {
  const e = r.e2e.endToEnd;
  const cost = cpuPerMessage(r.e2e);
  const cores = Object.values(r.e2e.cpu).reduce((s, v) => s + v, 0);
  const waits = Object.fromEntries(r.e2e.pg.waits.map((w) => [w.what, w.perSample]));
  const idleInTx = Object.entries(waits).filter(([k]) => k.startsWith('idle in transaction')).reduce((s, [, v]) => s + v, 0);
  const advisory = waits['Lock:advisory'] ?? 0;
  const assignRate = r.outcome.conversations / Math.max(1, e.activeSeconds);
  const lines = [
    `- **The router is the bottleneck: it completes ~${Math.round(e.rate)} msg/s against ${r.plan.rate} offered**, so a backlog builds for the whole run and end-to-end latency is queue wait: a job waits p50 ${ms(r.phases.queueWait.p50)} / p99 ${ms(r.phases.queueWait.p99)} for a router worker, while the work on it takes p50 ${ms(r.phases.processing.p50)} / p99 ${ms(r.phases.processing.p99)} and the gateway hands it over in p50 ${ms(r.phases.enqueue.p50)}. At ${r.plan.lowRate} msg/s, which the router keeps up with, end-to-end p99 is ${ms(r.e2eLow.endToEnd.latency.p99)}.`,
    ...(advisory >= 0.5
      ? [
          `- **Assignment runs one at a time per team, and the router's workers queue behind it.** Every new conversation drains team cs's queue under the team's advisory lock (\`sapa_drain_team\`, one database call). ${advisory.toFixed(1)} of the router's ${r.plan.routerConcurrency} connections waited on \`Lock:advisory\` per sample, so there was nearly always a queue for it: the router assigned ${r.outcome.conversations.toLocaleString('en-US')} conversations in ${e.activeSeconds.toFixed(0)} s, **~${Math.round(assignRate)} per second, one every ~${Math.round(1000 / assignRate)} ms**. One message in ${r.plan.messagesPerContact} opens a conversation, so 1,000 msg/s needs ${r.plan.rate / r.plan.messagesPerContact} assignments/s from this one lock (under 10 ms each, before bursts); at ~${Math.round(assignRate)}/s the jobs of new conversations pile up on it and hold the workers that the other messages need${
            r.plan.routerConcurrency === 16
              ? '. More workers only add waiters: a --quick run with BENCH_ROUTER_CONCURRENCY=48 (2026-11-23) stored the same ~410 msg/s with ~36 connections waiting on the lock'
              : ''
          }.`,
        ]
      : []),
    `- **${cores >= 0.9 * cpus().length ? 'The machine is out of CPU.' : 'CPU is nearly spent.'}** ${cores.toFixed(2)} of ${cpus().length} cores were busy while sending. One message costs ${cost.total.toFixed(1)} ms of CPU across the processes (router ${cost.perMessage.router.toFixed(1)}, Postgres ${cost.perMessage.postgres.toFixed(1)}, Redis ${cost.perMessage.redis.toFixed(1)}, gateway ${cost.perMessage.gateway.toFixed(1)}, load generator ${cost.perMessage.bench.toFixed(1)}), which caps ${cpus().length} cores at ~${Math.round(cost.ceiling)} msg/s (measured: ~${Math.round(e.rate)}). 1,000 msg/s on this machine needs about ${(cpus().length * 1000 / r.plan.rate).toFixed(1)} ms per message in all, i.e. ~${(cost.total / ((cpus().length * 1000) / r.plan.rate)).toFixed(1)}× less work per message.`,
    `- **Per-message statements and commits are the cost.** Postgres committed ${(r.e2e.pg.committed / Math.max(1, e.stored)).toFixed(2)} transactions per message stored. By the code, a message to an open conversation is one statement (\`appendToOpenConversation\`: a CTE that finds the contact's open conversation, inserts the message and bumps the conversation), committed on its own; a new contact or conversation takes one transaction (BEGIN, channel, identity, contact and identity inserts, default team, conversation, message, COMMIT) and one call of \`sapa_drain_team\`; then BullMQ's complete-and-fetch and the event publish go to Redis. Every commit waits for its WAL flush (\`LWLock:WALWrite\`, \`IO:WALSync\` below).`,
  ];
  const router = r.profiles.router;
  if (router) {
    const writes = share(router.functions, (n) => /^(writev|writeBuffer|writeUtf8String) /.test(n));
    const kysely = share(router.categories, (n) => n === 'kysely');
    const pg = share(router.categories, (n) => n === 'pg' || n === 'pg-protocol' || n.startsWith('postgres-'));
    lines.push(
      `- **In the router's profile**, ${pct(writes)} of its busy time is socket writes (one \`writev\` per query; on this VM a loopback write also pays for waking the Postgres or Redis process on the other core), ${pct(kysely)} is Kysely building and compiling queries, ${pct(pg)} is the pg driver parsing rows. The JavaScript of Sapa itself barely shows: the cost is the number of queries, not what the code does between them.`,
    );
  }
  lines.push(
    `- **In Postgres** (pg_stat_activity, per 100 ms sample): besides the lock waiters, ${idleInTx.toFixed(1)} connections sat idle in a transaction waiting for the router's next statement: time goes to round trips between the processes, not to executing SQL (${(waits['CPU (running)'] ?? 0).toFixed(1)} backends running on average).`,
  );
  return lines;
}

function ingestCauses(r) {
  const busy = r.ingest.ingest.latency;
  const alone = r.ingestAlone.ingest.latency;
  const cost = (r.ingestAlone.cpu.gateway * r.ingestAlone.sendSeconds * 1000) / Math.max(1, r.ingestAlone.ingest.sent);
  return [
    `- **Ingest ack p99 is ${ms(busy.p99)} (p50 ${ms(busy.p50)}) with the router working through its backlog, ${ms(alone.p99)} (p50 ${ms(alone.p50)}) with the router stopped.** ${
      alone.p99 <= 20
        ? 'The gateway meets the target when it has the cores; the miss is contention: the router, Postgres and Redis use the same'
        : 'The gateway misses the target even alone; with the router running it also competes with the router, Postgres and Redis for the'
    } ${cpus().length} cores (CPU table below). A request costs the gateway ${cost.toFixed(2)} ms of CPU: HMAC check, a Redis \`SET NX GET\` claim, BullMQ's add (an EVALSHA carrying the job) and a \`SET done\` — three Redis round trips before the 202.`,
  ];
}

function endToEndFixes() {
  // Done on 2026-11-23, from this file's first findings: the team lock left the arrival's hot path (one call of
  // sapa_drain_team per new conversation), the duplicate check and channel lookup left the common message,
  // which became one statement. That took end-to-end from ~480 to ~790 msg/s. What is left:
  return [
    '1. **Batch the router** (services/router): take inbound jobs in groups (e.g. up to 50 or 5 ms, with BullMQ `Worker#getNextJob` in a loop) and store a group with set-based statements (`INSERT … SELECT FROM unnest(…) ON CONFLICT …`), one commit per group. Postgres carries about half the CPU of a message, much of it per-statement commit and WAL work; a group commit divides that by the batch size, and the router\'s socket writes with it.',
    '2. **Write less per message**: `conversations.last_message_at` is rewritten by every message (a new row version and a WAL record); listing could derive it from `messages` (indexed by conversation and time) instead.',
    '3. **Cached plans**: the common-message CTE is parsed and planned on every call; as a PL/pgSQL function (like `sapa_drain_team`) or a named prepared statement it would be planned once per connection.',
    '4. **More cores**: in production Postgres and Redis run on their own machines and routers scale by replicas (the team lock is held only inside one database call); this bench puts the load generator, gateway, router, Postgres and Redis on the same 2 cores.',
  ];
}

function ingestFixes(routerFixesListed) {
  const headroom = routerFixesListed
    ? "fixes 1–3 cut the router's and Postgres' share of the cores, which is what pushes the gateway's p99 up under load. "
    : '';
  return [
    `${routerFixesListed ? 5 : 1}. **Fewer Redis round trips per webhook** (services/gateway): ${headroom}On the gateway itself, one Lua script that claims the message id and adds the job (instead of claim, add, mark done) would halve its Redis round trips per webhook.`,
  ];
}
