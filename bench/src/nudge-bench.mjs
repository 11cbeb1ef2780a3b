// The inactivity-nudge benchmark of issue 4 §Benchmark: 10,000 conversations waiting on a nudge at once, run by
// the built ticket service; nudge lateness p50/p99 (target p99 ≤ 1 s) and the Redis memory each waiting
// conversation costs. `run-bench.mjs` runs it last; alone: `node bench/src/nudge-bench.mjs [--quick]` (after
// `pnpm build`), which replaces the "Inactivity nudges" section of RESULTS.md. See bench/README.md.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { createDb } from '@sapa/db';
import { createProducer, createRedis } from '@sapa/queue';
import { createBenchEnv, teardownBenchEnv } from './bench-env.mjs';
import { seedTenant } from './seed-tenant.mjs';
import { freePort, startService } from './services.mjs';
import { sleep } from './stats.mjs';
import { writeSection } from './report.mjs';

const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = join(BENCH_DIR, '..');
const SECTION = '## Inactivity nudges (issue 4)';
const TARGET_P99_MS = 1000;

/**
 * The plan: `conversations` assigned chat conversations (spread over 200 agents of capacity 50), whose agents' last
 * words are spread evenly over `spreadSeconds`; the first nudge comes `firstNudgeSeconds` after each, so when the
 * first one comes due every conversation is waiting on its nudge at once, and the nudges then come due at
 * conversations / spreadSeconds a second (500/s by default, three times what 10,000 conversations on the default 60 s
 * clock ask for). The second nudge and the close are an hour away: the bench measures the first nudge.
 */
export function nudgePlan(quick = false) {
  return {
    conversations: quick ? 1000 : 10_000,
    spreadSeconds: quick ? 5 : 20,
    firstNudgeSeconds: quick ? 10 : 45,
    agents: 200,
    capacity: 50,
    timerConcurrency: 32,
  };
}

/** Runs the phase against `env` (a bench database and prefix) with the built ticket service as a child process. */
export async function measureNudges(env, plan, log = () => {}) {
  const db = createDb({ connectionString: env.databaseUrl, max: 4 });
  const redis = createRedis(env.redisUrl);
  const prefix = `${env.prefix}-nudge`;
  const producer = createProducer(redis, prefix);
  let tickets;
  try {
    const tenant = await seedTenant(env, { agents: plan.agents, capacity: plan.capacity, slug: 'bench-nudge' });
    await db
      .updateTable('tenants')
      .set({ settings: JSON.stringify({ inactivity: { firstNudgeSeconds: plan.firstNudgeSeconds, secondNudgeSeconds: 3600, closeSeconds: 3600 } }) })
      .where('id', '=', tenant.tenantId)
      .execute();
    const ids = await createConversations(db, tenant, plan);
    log(`nudges: ${ids.length} conversations created`);

    const port = await freePort();
    tickets = await startService(ROOT, 'tickets', {
      env: {
        DATABASE_URL: env.databaseUrl,
        REDIS_URL: env.redisUrl,
        SAPA_REDIS_PREFIX: prefix,
        SAPA_SECRET_KEY: env.secretKey,
        LOG_LEVEL: 'warn',
        TICKETS_PORT: String(port),
        TICKETS_TIMER_CONCURRENCY: String(plan.timerConcurrency),
      },
      port,
    });

    // The agents' words, as the inbox API reports them: spread evenly over the window.
    const t0 = Date.now();
    const step = (plan.spreadSeconds * 1000) / ids.length;
    for (let i = 0; i < ids.length; i += 500) {
      await Promise.all(
        ids.slice(i, i + 500).map((id, j) =>
          producer.add('handling', {
            tenantId: tenant.tenantId,
            conversationId: id,
            type: 'agent_message',
            messageId: `bench-${id}`,
            at: new Date(t0 + (i + j) * step).toISOString(),
          }),
        ),
      );
    }
    const timers = producer.queue('timers');
    const armedBy = Date.now() + plan.firstNudgeSeconds * 1000;
    let delayed = 0;
    while (Date.now() < armedBy) {
      delayed = (await timers.getJobCounts('delayed')).delayed;
      if (delayed >= 3 * ids.length) break;
      await sleep(200);
    }
    const armedAfterMs = Date.now() - t0;
    const waitingAtOnce = Math.floor(delayed / 3);
    log(`nudges: ${waitingAtOnce} conversations armed ${(armedAfterMs / 1000).toFixed(1)} s after the first event`);
    const memory = await redisMemory(redis, prefix, ids.length);

    // Until every first nudge is stored, or a generous cap past the last due time.
    const deadline = t0 + (plan.spreadSeconds + plan.firstNudgeSeconds + 60) * 1000;
    let sent = 0;
    while (Date.now() < deadline) {
      sent = await countNudges(db, tenant.tenantId);
      if (sent >= ids.length) break;
      await sleep(500);
    }
    const lateness = await latenessFromPostgres(db, tenant.tenantId, plan.firstNudgeSeconds);
    const exit = await tickets.stop();
    tickets = undefined;
    if (exit.code !== 0) log(`tickets exited with ${JSON.stringify(exit)}`);
    return { plan, conversations: ids.length, waitingAtOnce, armedAfterMs, sent, lateness, memory, metPercentile: lateness.p99 <= TARGET_P99_MS };
  } finally {
    await tickets?.stop(3000);
    await producer.close();
    redis.disconnect();
    await db.destroy();
  }
}

/** Contacts, identities and assigned conversations in bulk; each agent holds `capacity` of them. */
async function createConversations(db, tenant, plan) {
  const agents = await db.selectFrom('agents').select('user_id').where('tenant_id', '=', tenant.tenantId).orderBy('user_id').execute();
  const ids = [];
  for (let i = 0; i < plan.conversations; i += 1000) {
    const n = Math.min(1000, plan.conversations - i);
    const contacts = await db
      .insertInto('contacts')
      .values(Array.from({ length: n }, (_, j) => ({ tenant_id: tenant.tenantId, name: `Nudge ${i + j}` })))
      .returning('id')
      .execute();
    await db
      .insertInto('contact_identities')
      .values(contacts.map((c, j) => ({ tenant_id: tenant.tenantId, contact_id: c.id, channel_id: tenant.channelId, external_id: `nudge-${i + j}` })))
      .execute();
    const convs = await db
      .insertInto('conversations')
      .values(
        contacts.map((c, j) => ({
          tenant_id: tenant.tenantId,
          channel_id: tenant.channelId,
          contact_id: c.id,
          team_id: tenant.teamId,
          assignee_id: agents[(i + j) % agents.length].user_id,
          kind: 'chat',
          status: 'assigned',
          assigned_at: new Date(),
        })),
      )
      .returning('id')
      .execute();
    ids.push(...convs.map((c) => c.id));
  }
  await db
    .updateTable('agents')
    .set({ active_chat: Math.ceil(plan.conversations / agents.length) })
    .where('tenant_id', '=', tenant.tenantId)
    .execute();
  return ids;
}

/**
 * Redis bytes of what waits: every key of the `timers` queue (job hashes, the delayed sorted set, the queue's own
 * keys) by MEMORY USAGE, over the conversations waiting. The completed `handling` jobs BullMQ keeps for an hour are
 * reported beside it: they are the cost of the event, not of the wait.
 */
async function redisMemory(redis, prefix, conversations) {
  const sum = async (pattern) => {
    let cursor = '0';
    let bytes = 0;
    let keys = 0;
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (batch.length === 0) continue;
      const pipe = redis.pipeline();
      for (const key of batch) pipe.memory('USAGE', key, 'SAMPLES', '0');
      for (const [, v] of await pipe.exec()) bytes += Number(v ?? 0);
      keys += batch.length;
    } while (cursor !== '0');
    return { bytes, keys };
  };
  const timers = await sum(`${prefix}:timers:*`);
  const handling = await sum(`${prefix}:handling:*`);
  const info = await redis.info('memory');
  const overhead = Number(/mem_fragmentation_ratio:([\d.]+)/.exec(info)?.[1] ?? Number.NaN);
  return {
    timersBytes: timers.bytes,
    timersKeys: timers.keys,
    handlingBytes: handling.bytes,
    perConversation: timers.bytes / conversations,
    handlingPerConversation: handling.bytes / conversations,
    fragmentation: overhead,
  };
}

function countNudges(db, tenantId) {
  return db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('author_type', '=', 'system')
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}

/**
 * Lateness of each first nudge, read from Postgres: the nudge message's `created_at` (its transaction's start, on
 * the database clock) minus its due time (the agent's word + firstNudgeSeconds, stored on the conversation).
 */
async function latenessFromPostgres(db, tenantId, firstNudgeSeconds) {
  const { rows } = await sql`
    SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY l) AS p50,
           percentile_disc(0.9) WITHIN GROUP (ORDER BY l) AS p90,
           percentile_disc(0.99) WITHIN GROUP (ORDER BY l) AS p99,
           max(l) AS max, min(l) AS min, count(*) AS n
      FROM (SELECT extract(epoch FROM m.created_at - (c.last_agent_message_at + make_interval(secs => ${firstNudgeSeconds}))) * 1000 AS l
              FROM messages m JOIN conversations c ON c.id = m.conversation_id
             WHERE m.tenant_id = ${tenantId} AND m.author_type = 'system') t`.execute(db);
  const r = rows[0];
  return { p50: Number(r.p50), p90: Number(r.p90), p99: Number(r.p99), max: Number(r.max), min: Number(r.min), count: Number(r.n) };
}

/** The RESULTS.md section for one run. */
export function nudgeSection(r) {
  const f = (v) => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) : '–');
  const kb = (b) => `${(b / 1024).toFixed(2)} KiB`;
  return [
    SECTION,
    '',
    `Written by \`pnpm bench\` (or \`node bench/src/nudge-bench.mjs\`) on ${new Date().toISOString()}. The built ticket service (one process, timer concurrency ${r.plan.timerConcurrency}) with its own Redis prefix; ${r.conversations.toLocaleString('en-US')} assigned \`api\` conversations whose agents' last words are spread over ${r.plan.spreadSeconds} s, first nudge after ${r.plan.firstNudgeSeconds} s, so all of them wait on a nudge at once and the nudges come due at ${Math.round(r.conversations / r.plan.spreadSeconds)}/s. Lateness = the nudge message's \`created_at\` − its due time, from Postgres.`,
    '',
    '| Measure | Value | Target | Met |',
    '|---|---|---|---|',
    `| Conversations waiting on a nudge at once | ${r.waitingAtOnce.toLocaleString('en-US')} (armed ${(r.armedAfterMs / 1000).toFixed(1)} s after the first event) | 10,000 | ${r.waitingAtOnce >= 10_000 ? 'yes' : 'NO'} |`,
    `| First nudges sent | ${r.sent.toLocaleString('en-US')} of ${r.conversations.toLocaleString('en-US')} | all, once | ${r.sent === r.conversations ? 'yes' : 'NO'} |`,
    `| Nudge lateness p50 / p90 / p99 / max | ${f(r.lateness.p50)} / ${f(r.lateness.p90)} / ${f(r.lateness.p99)} / ${f(r.lateness.max)} ms | p99 ≤ ${TARGET_P99_MS} ms | ${r.metPercentile ? 'yes' : 'NO'} |`,
    `| Redis per waiting conversation (its 3 delayed timer jobs) | ${kb(r.memory.perConversation)} (${r.memory.timersKeys.toLocaleString('en-US')} keys, ${(r.memory.timersBytes / 1048576).toFixed(1)} MiB in all) |  |  |`,
    `| Redis per handling event kept after completion (1 h, at most 10,000) | ${kb(r.memory.handlingPerConversation)} |  |  |`,
    '',
    `Memory is MEMORY USAGE summed over the queue's keys (allocator fragmentation, ratio ${f(r.memory.fragmentation)} at the time, comes on top). An early nudge would show as negative lateness: the earliest was ${f(r.lateness.min)} ms.`,
    '',
  ].join('\n');
}

/** Puts the section into RESULTS.md, replacing the one of an earlier run. */
export function writeNudgeSection(file, section) {
  writeSection(file, SECTION, section);
}

// Alone: a bench database and prefix of its own, dropped afterwards.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const log = (msg) => console.error(`bench: ${msg}`);
  const env = await createBenchEnv();
  const redis = createRedis(env.redisUrl);
  try {
    const result = await measureNudges(env, nudgePlan(process.argv.includes('--quick')), log);
    const section = nudgeSection(result);
    process.stdout.write(`${section}\n`);
    writeNudgeSection(join(BENCH_DIR, 'RESULTS.md'), section);
  } finally {
    await teardownBenchEnv(env, redis).catch((err) => log(`cleanup failed: ${err.message}`));
    redis.disconnect();
  }
}
