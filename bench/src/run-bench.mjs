// `pnpm bench`: raw BullMQ, then webhook ingest and end-to-end through the built gateway and router, on a
// database and Redis prefix of its own; prints a table and writes bench/RESULTS.md. See bench/README.md.
import { mkdirSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRedis } from '@sapa/queue';
import { createBenchEnv, teardownBenchEnv } from './bench-env.mjs';
import { measureBullmqBaseline } from './bullmq-baseline.mjs';
import { summarizeProfile } from './cpu-profile.mjs';
import { jobPhases } from './job-phases.mjs';
import { measureNudges, nudgePlan, nudgeSection, writeNudgeSection } from './nudge-bench.mjs';
import { writeReport } from './report.mjs';
import { runRoutingPhase } from './routing-bench.mjs';
import { countOutcome, seedTenant } from './seed-tenant.mjs';
import { freePort, startService } from './services.mjs';
import { now } from './stats.mjs';
import { runWebhookPhase } from './webhook-phase.mjs';

const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = join(BENCH_DIR, '..');
const quick = process.argv.includes('--quick');
const profile = !process.argv.includes('--no-profile');

/** The workload of issue 3 §Benchmark; `--quick` shortens every phase to check the harness itself. */
const PLAN = {
  rate: 1000,
  baselineSeconds: quick ? 3 : 5,
  baselineBurst: quick ? 3000 : 10_000,
  warmupSeconds: quick ? 2 : 3,
  ingestSeconds: quick ? 5 : 20,
  e2eSeconds: quick ? 5 : 30,
  /** Diagnostics beside the targets: end-to-end at a rate the router keeps up with, ingest with no router. */
  lowRate: 300,
  lowSeconds: quick ? 3 : 10,
  aloneSeconds: quick ? 3 : 10,
  messagesPerContact: 10,
  agents: 200,
  capacity: 50,
  /** The router's default; BENCH_ROUTER_CONCURRENCY overrides it to see how the router scales. */
  routerConcurrency: Number(process.env.BENCH_ROUTER_CONCURRENCY ?? 16),
  /** Longest wait for the router to catch up after the end-to-end phase; keeps the bench within ~3 minutes. */
  drainSeconds: quick ? 30 : 60,
};

const log = (msg) => console.error(`bench: ${msg}`);
const services = [];
let env;
let redis;
let routingEnv;

async function main() {
  const t0 = now();
  env = await createBenchEnv();
  redis = createRedis(env.redisUrl);
  log(`database ${new URL(env.databaseUrl).pathname.slice(1)}, redis prefix ${env.prefix}`);
  const tenant = await seedTenant(env, { agents: PLAN.agents, capacity: PLAN.capacity });

  log(`raw BullMQ: ${PLAN.rate} jobs/s for ${PLAN.baselineSeconds} s, then ${PLAN.baselineBurst} jobs at once`);
  const baseline = await measureBullmqBaseline({
    redisUrl: env.redisUrl,
    prefix: `${env.prefix}-raw`,
    rate: PLAN.rate,
    seconds: PLAN.baselineSeconds,
    burst: PLAN.baselineBurst,
    concurrency: PLAN.routerConcurrency,
  });

  const profileDirs = {};
  const common = {
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    SAPA_REDIS_PREFIX: env.prefix,
    SAPA_SECRET_KEY: env.secretKey,
    LOG_LEVEL: 'warn',
  };
  for (const [name, portVar, extra] of [
    ['router', 'ROUTER_PORT', { ROUTER_CONCURRENCY: String(PLAN.routerConcurrency) }],
    ['gateway', 'GATEWAY_PORT', {}],
  ]) {
    const port = await freePort();
    profileDirs[name] = join(BENCH_DIR, '.out', 'profiles', name);
    rmSync(profileDirs[name], { recursive: true, force: true });
    mkdirSync(profileDirs[name], { recursive: true });
    const nodeArgs = profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDirs[name]}`] : [];
    services.push(await startService(ROOT, name, { env: { ...common, ...extra, [portVar]: String(port) }, port, nodeArgs }));
    log(`${name} ready on 127.0.0.1:${port} (pid ${services.at(-1).pid})`);
  }
  const [router, gateway] = services;
  const ctx = {
    env,
    tenant,
    messagesPerContact: PLAN.messagesPerContact,
    gatewayUrl: `http://127.0.0.1:${gateway.port}`,
    pids: { gateway: gateway.pid, router: router.pid },
  };

  log(`warm-up: ${PLAN.warmupSeconds} s at ${PLAN.rate / 2} req/s`);
  await runWebhookPhase(ctx, { phase: 'warm', rate: PLAN.rate / 2, seconds: PLAN.warmupSeconds, drainSeconds: 30 });
  log(`end-to-end at ${PLAN.lowRate} msg/s for ${PLAN.lowSeconds} s (diagnostic)`);
  const e2eLow = await runWebhookPhase(ctx, { phase: 'low', rate: PLAN.lowRate, seconds: PLAN.lowSeconds, drainSeconds: 30 });
  // End-to-end first, on an idle router; ingest last, so the backlog it leaves behind delays nothing.
  log(`end-to-end: ${PLAN.rate} msg/s for ${PLAN.e2eSeconds} s`);
  const e2e = await runWebhookPhase(ctx, { phase: 'e2e', rate: PLAN.rate, seconds: PLAN.e2eSeconds, drainSeconds: PLAN.drainSeconds });
  // Read before ingest: BullMQ keeps only the last 10,000 completed jobs.
  const outcome = await countOutcome(env, tenant.tenantId, 'e2e-');
  const phases = await jobPhases({
    redisUrl: env.redisUrl,
    prefix: env.prefix,
    phase: 'e2e',
    sentAt: e2e.source.sentAt,
    events: e2e.events,
    wallOffset: Date.now() - performance.now(),
  });

  log(`webhook ingest: ${PLAN.rate} req/s for ${PLAN.ingestSeconds} s`);
  const ingest = await runWebhookPhase(ctx, { phase: 'ingest', rate: PLAN.rate, seconds: PLAN.ingestSeconds, drainSeconds: 0 });
  // The same load with the router stopped: what the gateway does when it has the cores to itself.
  await router.stop();
  log(`webhook ingest, router stopped: ${PLAN.rate} req/s for ${PLAN.aloneSeconds} s (diagnostic)`);
  const ingestAlone = await runWebhookPhase(ctx, { phase: 'alone', rate: PLAN.rate, seconds: PLAN.aloneSeconds, drainSeconds: 0 });
  for (const s of services) {
    const exit = await s.stop();
    if (exit.code !== 0) log(`${s.name} exited with ${JSON.stringify(exit)}:\n${s.output()}`);
  }
  const profiles = profile
    ? Object.fromEntries(Object.entries(profileDirs).map(([name, dir]) => [name, summarizeProfile(dir)]))
    : {};

  const file = writeReport(join(BENCH_DIR, 'RESULTS.md'), {
    plan: PLAN,
    quick,
    baseline,
    ingest,
    ingestAlone,
    e2e,
    e2eLow,
    outcome,
    phases,
    profiles,
    seconds: (now() - t0) / 1000,
  });
  log(`wrote ${file}`);

  // Last, on idle cores: issue 4's timers (the built ticket service, a prefix of its own).
  const nudgeRun = nudgePlan(quick);
  log(`inactivity nudges: ${nudgeRun.conversations} conversations waiting at once`);
  writeNudgeSection(file, nudgeSection(await measureNudges(env, nudgeRun, log)));
  log(`added the nudge section to ${file}`);

  // Issue 6's routing: the router's SQL on a fresh database of its own (no service, no Redis).
  routingEnv = await createBenchEnv();
  await runRoutingPhase(routingEnv, file, quick, log);
  log(`added the routing section to ${file}`);
}

async function cleanup() {
  await Promise.allSettled(services.map((s) => s.stop(3000)));
  if (env) await teardownBenchEnv(env, redis).catch((err) => log(`cleanup failed: ${err.message}`));
  if (routingEnv) await teardownBenchEnv(routingEnv).catch((err) => log(`cleanup failed: ${err.message}`));
  redis?.disconnect();
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    log(`${signal}: stopping`);
    void cleanup().finally(() => process.exit(130));
  });
}

try {
  await main();
  await cleanup();
} catch (err) {
  console.error(err);
  await cleanup();
  process.exitCode = 1;
}
