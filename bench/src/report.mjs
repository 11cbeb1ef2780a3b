import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { findings } from './findings.mjs';
import { markdownTable, ms, rate, ratio } from './format.mjs';
import { details } from './report-details.mjs';

const TARGETS = { ingestP99: 20, e2eRate: 1000, e2eP99: 250 };

/** Whether each target of issue 3 §Benchmark was met in this run. */
export function verdicts(r) {
  const e = r.e2e.endToEnd;
  return {
    ingest: r.ingest.ingest.latency.p99 <= TARGETS.ingestP99 && r.ingest.ingest.offeredRate >= 0.99 * r.plan.rate && r.ingest.ingest.non2xx === 0,
    e2e:
      e.latency.p99 <= TARGETS.e2eP99 &&
      e.rate >= 0.99 * TARGETS.e2eRate &&
      e.lostAcknowledged === 0 &&
      r.e2e.ingest.offeredRate >= 0.99 * r.plan.rate,
  };
}

/** The comparison table: each webhook phase beside raw BullMQ (throughput vs its ceiling, latency vs 1,000/s). */
function summaryRows(r) {
  const raw = r.baseline;
  const ing = r.ingest.ingest;
  const e2e = r.e2e.endToEnd;
  const v = verdicts(r);
  return [
    ['Measure', 'Throughput', 'p50', 'p99', 'Target', 'Met', 'vs raw BullMQ (rate · p50 · p99)'],
    ['Raw BullMQ add → processed, paced', rate(raw.paced.rate), ms(raw.paced.latency.p50), ms(raw.paced.latency.p99), '', '', 'baseline'],
    ['Raw BullMQ, saturated (ceiling)', rate(raw.saturated.rate), '', '', '', '', 'baseline'],
    [
      'Webhook ingest (signed POST → 202)',
      `${rate(ing.offeredRate, 'req/s')}, ${ing.non2xx} non-2xx`,
      ms(ing.latency.p50),
      ms(ing.latency.p99),
      `p99 ≤ ${TARGETS.ingestP99} ms at 1,000 req/s`,
      v.ingest ? 'yes' : 'NO',
      `${ratio(ing.offeredRate, raw.saturated.rate)} · ${ratio(ing.latency.p50, raw.paced.latency.p50)} · ${ratio(ing.latency.p99, raw.paced.latency.p99)}`,
    ],
    [
      'End-to-end (webhook → stored + assigned event)',
      rate(e2e.rate),
      ms(e2e.latency.p50),
      ms(e2e.latency.p99),
      `≥ 1,000 msg/s for ${r.plan.e2eSeconds} s, p99 ≤ ${TARGETS.e2eP99} ms`,
      v.e2e ? 'yes' : 'NO',
      `${ratio(e2e.rate, raw.saturated.rate)} · ${ratio(e2e.latency.p50, raw.paced.latency.p50)} · ${ratio(e2e.latency.p99, raw.paced.latency.p99)}`,
    ],
    [
      `End-to-end at ${r.plan.lowRate} msg/s (diagnostic)`,
      rate(r.e2eLow.endToEnd.rate),
      ms(r.e2eLow.endToEnd.latency.p50),
      ms(r.e2eLow.endToEnd.latency.p99),
      '',
      '',
      `${ratio(r.e2eLow.endToEnd.rate, raw.saturated.rate)} · ${ratio(r.e2eLow.endToEnd.latency.p50, raw.paced.latency.p50)} · ${ratio(r.e2eLow.endToEnd.latency.p99, raw.paced.latency.p99)}`,
    ],
    [
      'Webhook ingest, router stopped (diagnostic)',
      `${rate(r.ingestAlone.ingest.offeredRate, 'req/s')}, ${r.ingestAlone.ingest.non2xx} non-2xx`,
      ms(r.ingestAlone.ingest.latency.p50),
      ms(r.ingestAlone.ingest.latency.p99),
      '',
      '',
      `${ratio(r.ingestAlone.ingest.offeredRate, raw.saturated.rate)} · ${ratio(r.ingestAlone.ingest.latency.p50, raw.paced.latency.p50)} · ${ratio(r.ingestAlone.ingest.latency.p99, raw.paced.latency.p99)}`,
    ],
  ];
}

function textTable(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** Prints the table and writes RESULTS.md; returns the file written. */
export function writeReport(file, r) {
  const rows = summaryRows(r);
  console.log(`\n${textTable(rows)}\n`);
  const v = verdicts(r);
  const cpu = cpus();
  const md = [
    '# Benchmark results',
    '',
    `Written by \`pnpm bench\` on ${new Date().toISOString()}${r.quick ? ' — **--quick run, phases shortened: not a measurement**' : ''}. How to read it: [README.md](README.md).`,
    '',
    `Machine: ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}. Everything runs on it at once: the load generator (this process), gateway, router, Postgres and Redis. Workload: ${r.plan.agents} online agents of team \`cs\` (chat capacity ${r.plan.capacity}), one \`api\` channel, contacts arriving steadily and writing ~${r.plan.messagesPerContact} messages each; router concurrency ${r.plan.routerConcurrency}. Whole bench took ${r.seconds.toFixed(0)} s.`,
    '',
    markdownTable(rows),
    '',
    `Targets: ingest ${v.ingest ? 'met' : '**missed**'}; end-to-end ${v.e2e ? 'met' : '**missed**'} — in this one run; how much the figures move between runs on this shared machine: [README.md § Run-to-run spread](README.md#run-to-run-spread).`,
    '',
    findings(r, v),
    details(r),
  ].join('\n');
  writeFileSync(file, `${md}\n`);
  return file;
}

/**
 * Puts a phase's own section (headed `heading`, e.g. "## Routing (issue 6)") into RESULTS.md, replacing the one of an
 * earlier run, so a phase run alone updates its part of the file.
 */
export function writeSection(file, heading, section) {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    text = '# Benchmark results\n\n';
  }
  const start = text.indexOf(heading);
  if (start >= 0) {
    const next = text.indexOf('\n## ', start + heading.length);
    text = text.slice(0, start) + (next >= 0 ? text.slice(next + 1) : '');
  }
  writeFileSync(file, `${text.trimEnd()}\n\n${section}`);
}
