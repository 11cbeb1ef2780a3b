import { cpus } from 'node:os';
import { cpuPerMessage } from './cpu-cost.mjs';
import { markdownTable, ms, pct, rate } from './format.mjs';

/** The "Phases in detail" part of RESULTS.md: counts, stage timings, CPU, Postgres, profiles. */
export function details(r) {
  const e = r.e2e.endToEnd;
  const ing = r.ingest;
  const out = [];
  out.push('## Phases in detail', '');
  out.push(
    `- **Raw BullMQ** (queue \`bench\` with the \`inbound\` queue's job options, no-op worker of concurrency ${r.baseline.concurrency}, producer and worker in the bench process): paced ${r.baseline.paced.processed.toLocaleString('en-US')}/${r.baseline.paced.sent.toLocaleString('en-US')} jobs at ${r.plan.rate}/s, slowest second ${r.baseline.paced.slowestSecond} jobs, p90 ${ms(r.baseline.paced.latency.p90)}, max ${ms(r.baseline.paced.latency.max)}; saturated: ${r.baseline.saturated.processed.toLocaleString('en-US')} jobs added 256 at a time, processed at ${rate(r.baseline.saturated.rate)}.`,
  );
  out.push(
    `- **Webhook ingest** (${r.plan.ingestSeconds} s, after end-to-end, router running): ${ing.ingest.sent.toLocaleString('en-US')} requests, statuses ${JSON.stringify(ing.ingest.statuses)}, ${ing.ingest.errors} socket errors, ${ing.ingest.timeouts} timeouts; ack p90 ${ms(ing.ingest.latency.p90)}, max ${ms(ing.ingest.latency.max)}. Router backlog when the phase ended: ${ing.endToEnd.backlog.toLocaleString('en-US')} jobs (dropped with the bench's Redis prefix).`,
  );
  out.push(
    `- **End-to-end** (${r.plan.e2eSeconds} s): ${r.e2e.ingest.sent.toLocaleString('en-US')} messages sent (${rate(r.e2e.ingest.offeredRate)} offered, ack p99 ${ms(r.e2e.ingest.latency.p99)}, ${r.e2e.ingest.non2xx} non-2xx, ${r.e2e.ingest.accepted.toLocaleString('en-US')} acknowledged with 202, ${r.e2e.ingest.cutOff} cut off in flight when the load stopped), ${e.stored.toLocaleString('en-US')} \`message.created\` events seen, ${e.lostAcknowledged} acknowledged messages not stored; slowest second ${e.slowestSecond} events; last event ${e.drainAfterSend.toFixed(1)} s after the last send${e.drained ? '' : ' (the router had NOT caught up when the bench stopped waiting)'}; p90 ${ms(e.latency.p90)}, max ${ms(e.latency.max)}.`,
  );
  const low = r.e2eLow.endToEnd;
  out.push(
    `- **End-to-end at ${r.plan.lowRate} msg/s** (${r.plan.lowSeconds} s, diagnostic): ${low.stored.toLocaleString('en-US')} stored, p90 ${ms(low.latency.p90)}, max ${ms(low.latency.max)}, ack p99 ${ms(r.e2eLow.ingest.latency.p99)}; CPU ${Object.values(r.e2eLow.cpu).reduce((a, b) => a + b, 0).toFixed(2)} cores. What the path costs when the router keeps up.`,
  );
  const alone = r.ingestAlone.ingest;
  out.push(
    `- **Webhook ingest, router stopped** (${r.plan.aloneSeconds} s, diagnostic): ${alone.sent.toLocaleString('en-US')} requests, statuses ${JSON.stringify(alone.statuses)}, ack p90 ${ms(alone.latency.p90)}, max ${ms(alone.latency.max)}; gateway ${r.ingestAlone.cpu.gateway.toFixed(2)} cores. What the gateway does when it need not share the cores with a busy router.`,
  );
  out.push(
    `- **Conversations** of the end-to-end phase (Postgres): ${r.outcome.conversations.toLocaleString('en-US')} conversations, ${JSON.stringify(r.outcome.byStatus)}; ${r.outcome.messages.toLocaleString('en-US')} messages stored. ${r.outcome.byStatus.assigned ?? 0} of ${r.outcome.conversations} ended \`assigned\`.`,
  );
  out.push('');
  out.push(...stageTable(r), ...cpuSection(r), ...postgresSection(r), ...profileSections(r));
  return out.join('\n');
}

/** Stage timings of the end-to-end phase, from BullMQ's job timestamps. */
function stageTable(r) {
  const out = [];
  out.push('### Where a message’s time goes (end-to-end phase)', '');
  out.push(
    `From the timestamps BullMQ keeps on completed \`inbound\` jobs (the last ${r.phases.sample.toLocaleString('en-US')} of this phase):`,
    '',
  );
  out.push(
    markdownTable([
      ['Stage', 'p50', 'p99'],
      ['send → job added (gateway: HTTP, signature, dedupe claim, add)', ms(r.phases.enqueue.p50), ms(r.phases.enqueue.p99)],
      ['job added → taken by a router worker (queue wait)', ms(r.phases.queueWait.p50), ms(r.phases.queueWait.p99)],
      ['taken → job finished (persist, assign, publish, complete)', ms(r.phases.processing.p50), ms(r.phases.processing.p99)],
      ['taken → `message.created` seen by the bench', ms(r.phases.takenToEvent.p50), ms(r.phases.takenToEvent.p99)],
    ]),
    '',
  );
  return out;
}

/** Cores per process group, and the CPU cost of one message. */
function cpuSection(r) {
  const out = [];
  const ing = r.ingest;
  out.push(`### CPU (cores in use while sending, of ${cpus().length})`, '');
  const comps = Object.keys(r.e2e.cpu);
  out.push(
    markdownTable([
      ['Phase', ...comps, 'total'],
      ...[
        ['ingest', ing.cpu],
        ['end-to-end', r.e2e.cpu],
      ].map(([name, c]) => [name, ...comps.map((k) => c[k].toFixed(2)), Object.values(c).reduce((s, x) => s + x, 0).toFixed(2)]),
    ]),
    '',
  );
  const cost = cpuPerMessage(r.e2e);
  out.push(
    `CPU per message in the end-to-end phase (cores × ${r.e2e.sendSeconds.toFixed(0)} s ÷ messages): ${Object.entries(cost.perMessage)
      .map(([k, v]) => `${k} ${v.toFixed(2)} ms`)
      .join(', ')}; **${cost.total.toFixed(2)} ms in all**, so ${cpus().length} cores carry at most ~${Math.round(cost.ceiling).toLocaleString('en-US')} msg/s of this path (gateway and bench per request sent, the others per message stored).`,
    '',
  );
  return out;
}

/** What the bench database's connections did during end-to-end. */
function postgresSection(r) {
  const out = [];
  out.push(
    `### Postgres during end-to-end`,
    '',
    `${r.e2e.pg.avgActive.toFixed(1)} backends active on average (${r.e2e.pg.samples} samples of pg_stat_activity); what they were doing, per sample: ${r.e2e.pg.waits.map((w) => `${w.what} ${w.perSample.toFixed(2)}`).join(', ') || 'nothing'}.`,
    '',
  );
  return out;
}

/** The services' --cpu-prof profiles, summarised. */
function profileSections(r) {
  const out = [];
  for (const [name, p] of Object.entries(r.profiles)) {
    if (!p) continue;
    out.push(`### CPU profile: ${name} (whole run, \`--cpu-prof\`, ${(p.busyMs / 1000).toFixed(1)} s busy)`, '');
    out.push(`By library: ${p.categories.map((c) => `${c.name} ${pct(c.share)}`).join(', ')}.`, '');
    out.push(markdownTable([['Busiest functions (self time)', 'library', 'share'], ...p.functions.map((f) => [`\`${f.name}\``, f.category, pct(f.share)])]), '');
  }
  return out;
}
