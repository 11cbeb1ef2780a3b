import { afterAll, beforeAll, describe, it } from '@jest/globals';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { RoutingRule } from '@sapa/contracts';
import { setPresence } from '@sapa/db/queries/agents';
import { closeConversation, transferToTeam } from '@sapa/db/queries/conversation-commands';
import { insertOutboundMessage } from '@sapa/db/queries/messages';
import { replaceRoutingRules } from '@sapa/db/queries/routing-rules';
import { patchTenantSettings } from '@sapa/db/queries/tenant-settings';
import { isSuitable, type AgentCandidate, type ConversationNeed, type Strategy } from '@sapa/routing';
import { createApiChannel, createTenant } from '@sapa/test-support';
import { routerHarness } from './router-harness.js';

/**
 * issue 6 item 6: random histories of arrivals, presence changes, replies, transfers and closes, run against two
 * router instances on one Redis and one Postgres. Once each history has settled, Postgres must show that no
 * conversation was assigned twice, no agent is over capacity, nobody jumped the queue within a priority, and
 * nothing waits while a suitable agent has room.
 *
 * The routers race each other and the history, so a seed fixes the world and the operations, not the interleaving;
 * shrinking would chase a different interleaving at every step, so the first failure is reported as it is.
 * FC_SEED=<n> replays a world; FC_RUNS=<n> runs more of them.
 */

const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 2 ** 31;
const RUNS = Number(process.env.FC_RUNS ?? 10);
/** Postgres and Node read the same host clock; this covers rounding to the millisecond and little else. */
const CLOCK_SLACK_MS = 50;
const CONTACTS = 10;

/** First match wins; each text below reads as one of them (or none). */
const RULES: RoutingRule[] = [
  { key: 'fraud_desk', when: { playbookGroups: ['fraud'] }, then: { skills: [{ key: 'fraud', level: 3 }] } },
  { key: 'english', when: { keywords: ['hello', 'please'] }, then: { language: 'en' } },
  { key: 'urgent', when: { keywords: ['darurat'] }, then: { priority: 50 } },
  { key: 'billing', when: { keywords: ['tagihan'] }, then: { skills: [{ key: 'billing', level: 2 }], language: 'id' } },
];
const TEXTS = [
  'Pulsa saya belum masuk', // no rule: anyone
  'Tolong, akun saya dibajak, ini penipuan', // fraud: priority 100, fraud ≥ 3
  'Hello, please help me with my deposit', // English speaker
  'Darurat! Transaksi gagal terus', // priority 50
  'Tagihan bulan ini salah', // billing ≥ 2, Indonesian
];

/** Mostly texts no rule reads, so that many conversations share their needs and queue order matters. */
const textArb = fc.constantFrom(0, 0, 0, 0, 1, 2, 3, 3, 4);

const agentSpec = fc.record({
  // Mostly small, so that queues form and freed room is handed out one conversation at a time.
  capacity: fc.constantFrom(0, 1, 1, 2, 3),
  skills: fc.dictionary(fc.constantFrom('fraud', 'billing'), fc.integer({ min: 1, max: 5 }), { maxKeys: 2 }),
  languages: fc.subarray(['id', 'en']),
  presence: fc.constantFrom('online' as const, 'away' as const, 'offline' as const),
  // On a call the whole run (active_voice 1): takes no chat when the tenant says a call blocks chat.
  onCall: fc.constantFrom(false, false, false, true),
});
const worldArb = fc.record({
  agents: fc.array(agentSpec, { minLength: 3, maxLength: 6 }),
  strategy: fc.constantFrom<Strategy>('least_busy', 'round_robin', 'skills_weighted'),
  voiceBlocksChat: fc.boolean(),
  stickyHours: fc.constantFrom(0, 24),
});
type World = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

/** `pick` chooses among the conversations open when the operation runs (modulo their number). */
type Op =
  | { op: 'write'; contact: number; text: number }
  | { op: 'presence'; agent: number; status: 'online' | 'away' | 'offline' }
  | { op: 'reply'; pick: number }
  | { op: 'transfer'; pick: number }
  | { op: 'close'; pick: number }
  | { op: 'pause'; ms: number };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ op: fc.constant('write' as const), contact: fc.nat(CONTACTS - 1), text: textArb }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('presence' as const), agent: fc.nat(5), status: fc.constantFrom('online' as const, 'online' as const, 'away' as const, 'offline' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('reply' as const), pick: fc.nat(20) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('transfer' as const), pick: fc.nat(20) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('close' as const), pick: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('pause' as const), ms: fc.integer({ min: 20, max: 300 }) }) },
);

describe('routing over random histories on two routers', () => {
  const h = routerHarness();
  beforeAll(async () => {
    await h.startRouter();
    await h.startRouter();
  });
  afterAll(() => h.close());

  /** One tenant per history: team `cs` with the world's agents, the rules above, timers out of the way. */
  async function buildWorld(w: World) {
    const users = Object.fromEntries(
      w.agents.map((a, i) => [`a${i}`, { roles: ['agent'], teams: ['cs'], presence: a.presence, capacity: { chat: a.capacity } }]),
    );
    const tenant = await createTenant(h.db, users, ['cs']);
    const agentIds = w.agents.map((_, i) => tenant.users[`a${i}`]!.id);
    for (const [i, a] of w.agents.entries()) {
      await h.db
        .updateTable('agents')
        .set({ skills: JSON.stringify(a.skills), languages: a.languages, active_voice: a.onCall ? 1 : 0 })
        .where('user_id', '=', agentIds[i]!)
        .execute();
    }
    await h.db.updateTable('teams').set({ strategy: w.strategy }).where('id', '=', tenant.teamId).execute();
    // No first-response step may fire while a history runs: every assignment stays until the history moves it.
    await patchTenantSettings(h.db, tenant.id, { routing: { firstResponseSeconds: 86_400, voiceBlocksChat: w.voiceBlocksChat, stickyHours: w.stickyHours } });
    await replaceRoutingRules(h.db, tenant.id, RULES);
    const channelId = (await createApiChannel(h.db, tenant.id)).id;
    return { tenantId: tenant.id, teamId: tenant.teamId, channelId, agentIds };
  }
  type Ctx = Awaited<ReturnType<typeof buildWorld>> & {
    /** Inbound job id of each message sent, by external message id. */
    jobOf: Map<string, string>;
    /** When the test's last transfer of a conversation back to the queue had committed. */
    requeuedAt: Map<string, number>;
    log: string[];
  };

  const agentName = (ctx: Ctx, id: string | null) => (id === null ? '-' : `a${ctx.agentIds.indexOf(id)}`);

  async function openConversations(ctx: Ctx) {
    return h.db
      .selectFrom('conversations as c')
      .innerJoin('contact_identities as i', 'i.contact_id', 'c.contact_id')
      .select(['c.id', 'c.status', 'c.assignee_id', 'i.external_id'])
      .where('c.tenant_id', '=', ctx.tenantId)
      .where('c.status', '<>', 'closed')
      .orderBy('c.created_at')
      .orderBy('c.id')
      .execute();
  }

  /** Runs one operation as the inbox API or a channel would, and says in the log what it did. */
  async function apply(ctx: Ctx, o: Op): Promise<string> {
    const drain = (reason: string) => h.producer.add('routing', { tenantId: ctx.tenantId, teamIds: [ctx.teamId], reason });
    switch (o.op) {
      case 'write': {
        const externalMessageId = randomUUID();
        const text = TEXTS[o.text]!;
        ctx.jobOf.set(externalMessageId, await h.send({ tenantId: ctx.tenantId, channelId: ctx.channelId, channelType: 'api', externalMessageId, from: { externalId: `c${o.contact}` }, text }));
        return `c${o.contact} writes "${text}"`;
      }
      case 'presence': {
        const agent = o.agent % ctx.agentIds.length;
        await setPresence(h.db, ctx.tenantId, ctx.agentIds[agent]!, o.status);
        if (o.status === 'online') await drain('agent_online');
        return `a${agent} goes ${o.status}`;
      }
      case 'pause':
        await new Promise((r) => setTimeout(r, o.ms));
        return `pause ${o.ms} ms`;
    }
    const open = await openConversations(ctx);
    const candidates = o.op === 'reply' ? open.filter((c) => c.status === 'assigned') : open;
    const conv = candidates[o.pick % Math.max(candidates.length, 1)];
    if (!conv) return `${o.op}: nothing open`;
    const label = `${conv.external_id}/${conv.id.slice(0, 8)} (${conv.status}, ${agentName(ctx, conv.assignee_id)})`;
    switch (o.op) {
      case 'reply':
        await insertOutboundMessage(h.db, ctx.tenantId, { conversationId: conv.id, channelId: ctx.channelId, authorType: 'agent', authorId: conv.assignee_id, text: 'Baik, kami cek dulu', attachments: [] });
        return `${agentName(ctx, conv.assignee_id)} replies in ${label}`;
      case 'transfer': {
        const result = await transferToTeam(h.db, ctx.tenantId, conv.id, ctx.teamId, { actorId: null, note: 'property test' });
        if (result.ok) ctx.requeuedAt.set(conv.id, Date.now());
        await drain('transfer');
        return `transfer ${label} to the team queue: ${result.ok ? 'ok' : result.reason}`;
      }
      case 'close': {
        const closed = await closeConversation(h.db, ctx.tenantId, conv.id, { actorId: null, reason: 'resolved' });
        if (conv.assignee_id) await drain('conversation_closed');
        return `close ${label}: ${closed?.status ?? 'gone'}`;
      }
    }
  }

  async function queuesBusy(): Promise<boolean> {
    const inbound = await h.producer.queue('inbound').getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    const routing = await h.producer.queue('routing').getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    // The sweep's scheduler always keeps its next run delayed.
    return Object.values(inbound).some((n) => n > 0) || routing.waiting! + routing.active! + routing.prioritized! > 0 || routing.delayed! > 1;
  }

  /** A job that failed for good is a router error, whatever the state looks like. */
  async function failedJobs(): Promise<string[]> {
    const out: string[] = [];
    for (const name of ['inbound', 'routing'] as const) {
      for (const job of await h.producer.queue(name).getFailed()) out.push(`${name} job ${job.id} failed: ${job.failedReason}`);
    }
    return out;
  }

  async function stateKey(ctx: Ctx): Promise<string> {
    const convs = await h.db.selectFrom('conversations').select(['id', 'status', 'assignee_id']).where('tenant_id', '=', ctx.tenantId).orderBy('id').execute();
    const agents = await h.db.selectFrom('agents').select(['user_id', 'active_chat', 'presence']).where('tenant_id', '=', ctx.tenantId).orderBy('user_id').execute();
    return JSON.stringify([convs, agents]);
  }

  /**
   * Waits for the history to settle: no inbound or drain job left, at least one sweep (every second) since, and two
   * snapshots 300 ms apart that agree.
   */
  async function settle(ctx: Ctx, timeoutMs = 20_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    while (await queuesBusy()) {
      if (Date.now() > until) throw new Error('queues did not drain');
      await sleep(50);
    }
    await sleep(1100);
    let previous = await stateKey(ctx);
    for (;;) {
      await sleep(300);
      const current = await stateKey(ctx);
      if (current === previous && !(await queuesBusy())) return;
      if (Date.now() > until) throw new Error('state did not settle');
      previous = current;
    }
  }

  async function readState(ctx: Ctx) {
    const agents = await h.db
      .selectFrom('agents')
      .innerJoin('team_members as m', (j) => j.onRef('m.user_id', '=', 'agents.user_id').on('m.team_id', '=', ctx.teamId))
      .select(['agents.user_id', 'presence', 'active_chat', 'capacity_chat', 'active_voice', 'skills', 'languages', 'last_assigned_at'])
      .where('agents.tenant_id', '=', ctx.tenantId)
      .execute();
    const conversations = await h.db
      .selectFrom('conversations')
      .select(['id', 'status', 'kind', 'team_id', 'assignee_id', 'priority', 'queued_at', 'assigned_at', 'closed_at', 'required_skills', 'language', 'passed_over'])
      // The drain's order (priority, then queue time to the microsecond, then id), and the assignment time to the
      // microsecond: a JS Date holds neither.
      .select(sql<number>`row_number() OVER (ORDER BY priority DESC, queued_at, id)::int`.as('rank'))
      .select(sql<number | null>`(extract(epoch FROM assigned_at) * 1000)::float8`.as('assigned_ms'))
      .where('tenant_id', '=', ctx.tenantId)
      .execute();
    // In created_at order for the reader of a failure; see assignedOnce for why no check relies on it.
    const history = await h.db
      .selectFrom('assignments')
      .select(['conversation_id', 'action', 'agent_id'])
      .where('tenant_id', '=', ctx.tenantId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const inbound = await h.db.selectFrom('messages').select(['conversation_id', 'external_id']).where('tenant_id', '=', ctx.tenantId).where('direction', '=', 'in').execute();
    return { agents, conversations, history, inbound };
  }
  type State = Awaited<ReturnType<typeof readState>>;

  /**
   * When each conversation's latest wait had certainly become visible to every drain: after a transfer back to the
   * queue, once the test's call returned; after its arrival, once the first inbound job that wrote into it completed
   * (its transaction had committed by then).
   */
  async function visibleSince(ctx: Ctx, s: State): Promise<Map<string, number>> {
    const visible = new Map<string, number>();
    for (const conv of s.conversations) {
      const requeued = ctx.requeuedAt.get(conv.id);
      if (requeued !== undefined) {
        visible.set(conv.id, requeued);
        continue;
      }
      const finished: number[] = [];
      for (const m of s.inbound.filter((x) => x.conversation_id === conv.id)) {
        const jobId = m.external_id === null ? undefined : ctx.jobOf.get(m.external_id);
        const job = jobId === undefined ? undefined : await h.producer.queue('inbound').getJob(jobId);
        if (job?.finishedOn) finished.push(job.finishedOn);
      }
      if (finished.length > 0) visible.set(conv.id, Math.min(...finished));
    }
    return visible;
  }

  function candidateOf(a: State['agents'][number]): AgentCandidate {
    return {
      agentId: a.user_id,
      active: a.active_chat,
      capacity: a.capacity_chat,
      activeVoice: a.active_voice,
      lastAssignedAt: a.last_assigned_at,
      skills: a.skills as Record<string, number>,
      languages: a.languages,
    };
  }
  function needOf(c: State['conversations'][number], w: World): ConversationNeed {
    return { kind: c.kind, skills: c.required_skills as Record<string, number>, language: c.language, voiceBlocksChat: w.voiceBlocksChat, stickyAgentId: null, passedOver: c.passed_over };
  }
  const needsKey = (c: State['conversations'][number]) => `${c.kind}|${JSON.stringify(c.required_skills)}|${c.language ?? ''}`;

  /** Every invariant that fails, as sentences. */
  function violations(ctx: Ctx, w: World, s: State, visible: Map<string, number>): string[] {
    return [...assignedOnce(ctx, s), ...withinCapacity(ctx, s), ...toSuitableAgents(ctx, w, s), ...inQueueOrder(ctx, s, visible), ...nobodyWaitsBesideRoom(ctx, w, s)];
  }
  const short = (id: string) => id.slice(0, 8);
  const isHeld = (c: State['conversations'][number]) => c.status === 'assigned' || c.status === 'on_hold';

  /**
   * No conversation assigned twice at once. Each assignment ends a wait the conversation entered (its arrival, a
   * transfer to a queue, being taken back), so there are never more assignments than waits. A transfer of a
   * conversation that was still waiting counts as a wait too, so the sharper check is the agents' counters
   * (withinCapacity): a second assignment claims once more than anyone releases. The history's own order cannot be
   * checked: created_at is the start of the writing transaction, not its commit.
   */
  function assignedOnce(ctx: Ctx, s: State): string[] {
    const out: string[] = [];
    for (const c of s.conversations) {
      const rows = s.history.filter((r) => r.conversation_id === c.id);
      const assigned = rows.filter((r) => r.action === 'assigned').length;
      const waits = 1 + rows.filter((r) => (r.action === 'transferred' && r.agent_id === null) || ['unassigned', 'queued', 'escalated'].includes(r.action)).length;
      if (assigned > waits) out.push(`${short(c.id)} was assigned ${assigned} times out of ${waits} waits: ${rows.map((r) => r.action).join(', ')}`);
      if (c.status !== 'closed' && (c.status === 'queued') !== (c.assignee_id === null)) out.push(`${short(c.id)} is ${c.status} with assignee ${agentName(ctx, c.assignee_id)}`);
    }
    return out;
  }

  /** Every agent's counter is what the agent holds, and within capacity (never lowered during a history: strict). */
  function withinCapacity(ctx: Ctx, s: State): string[] {
    const out: string[] = [];
    for (const a of s.agents) {
      const holds = s.conversations.filter((c) => isHeld(c) && c.kind === 'chat' && c.assignee_id === a.user_id).length;
      if (a.active_chat !== holds) out.push(`${agentName(ctx, a.user_id)} counts ${a.active_chat} chats but holds ${holds}`);
      if (a.active_chat > a.capacity_chat) out.push(`${agentName(ctx, a.user_id)} holds ${a.active_chat} chats over a capacity of ${a.capacity_chat}`);
    }
    return out;
  }

  /** Held only by an agent of the team who meets the conversation's needs (room aside: that was at the time). */
  function toSuitableAgents(ctx: Ctx, w: World, s: State): string[] {
    const out: string[] = [];
    const byId = new Map(s.agents.map((a) => [a.user_id, a]));
    for (const c of s.conversations.filter(isHeld)) {
      const agent = c.assignee_id === null ? undefined : byId.get(c.assignee_id);
      if (!agent) out.push(`${short(c.id)} is held by ${c.assignee_id}, not an agent of the team`);
      else if (!isSuitable({ ...candidateOf(agent), active: 0, capacity: 1 }, needOf(c, w))) {
        out.push(`${short(c.id)} (needs ${needsKey(c)}) went to ${agentName(ctx, agent.user_id)}, who does not meet them`);
      }
    }
    return out;
  }

  /**
   * First in, first out within a priority, and higher priority first. Each conversation's latest wait ran from when it
   * was visibly queued until it was assigned, closed, or now. No conversation with the same needs behind it in the
   * drain's order may be assigned inside that wait: whoever took the later one could have taken the earlier, and
   * every drain looks at the earlier first (a need nobody free meets sets aside every conversation with that need).
   * A conversation passed over by some agent is left out: the drain sets it aside alone.
   */
  function inQueueOrder(ctx: Ctx, s: State, visible: Map<string, number>): string[] {
    const out: string[] = [];
    const waitEnd = (c: State['conversations'][number]) =>
      c.assigned_ms ?? (c.closed_at ? c.closed_at.getTime() - CLOCK_SLACK_MS : Number.POSITIVE_INFINITY);
    for (const x of s.conversations) {
      const since = visible.get(x.id);
      if (since === undefined || x.passed_over.length > 0) continue;
      for (const y of s.conversations) {
        if (y.assigned_ms === null || y.rank <= x.rank || y.team_id !== x.team_id || needsKey(y) !== needsKey(x)) continue;
        if (y.assigned_ms > since + CLOCK_SLACK_MS && y.assigned_ms < waitEnd(x)) {
          out.push(
            `${short(y.id)} (priority ${y.priority}) was assigned to ${agentName(ctx, y.assignee_id)} at ${new Date(y.assigned_ms).toISOString()} ` +
              `while ${short(x.id)} (priority ${x.priority}, ahead of it) waited, visibly since ${new Date(since).toISOString()}`,
          );
        }
      }
    }
    return out;
  }

  /** Nothing waits while an online agent of its team has room and meets its needs. */
  function nobodyWaitsBesideRoom(ctx: Ctx, w: World, s: State): string[] {
    const out: string[] = [];
    for (const q of s.conversations.filter((c) => c.status === 'queued')) {
      const free = s.agents.filter((a) => a.presence === 'online' && isSuitable(candidateOf(a), needOf(q, w)));
      if (free.length > 0) out.push(`${short(q.id)} (needs ${needsKey(q)}) waits while ${free.map((a) => agentName(ctx, a.user_id)).join(', ')} could take it`);
    }
    return out;
  }

  function describeWorld(w: World): string {
    const agents = w.agents.map(
      (a, i) => `  a${i}: capacity ${a.capacity}, skills ${JSON.stringify(a.skills)}, languages [${a.languages.join(',')}], starts ${a.presence}${a.onCall ? ', on a call' : ''}`,
    );
    return [`strategy ${w.strategy}, voiceBlocksChat ${w.voiceBlocksChat}, stickyHours ${w.stickyHours}`, ...agents].join('\n');
  }

  function describeState(ctx: Ctx, s: State): string {
    return [...s.conversations]
      .sort((x, y) => x.rank - y.rank)
      .map(
        (c) =>
          `  ${short(c.id)} ${c.status.padEnd(8)} prio ${c.priority} needs ${JSON.stringify(c.required_skills)} ${c.language ?? '-'} ` +
          `agent ${agentName(ctx, c.assignee_id)} queued ${c.queued_at.toISOString()} assigned ${c.assigned_at?.toISOString() ?? '-'}`,
      )
      .concat(s.agents.map((a) => `  ${agentName(ctx, a.user_id)} ${a.presence} ${a.active_chat}/${a.capacity_chat}`))
      .join('\n');
  }

  it('never assigns twice, never overbooks, keeps queue order, and leaves nobody waiting beside a free suitable agent', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, fc.array(opArb, { minLength: 20, maxLength: 35 }), async (w, ops) => {
        const ctx: Ctx = { ...(await buildWorld(w)), jobOf: new Map(), requeuedAt: new Map(), log: [] };
        for (const [i, o] of ops.entries()) ctx.log.push(`${String(i + 1).padStart(2)}. ${await apply(ctx, o)}`);
        await settle(ctx);
        const state = await readState(ctx);
        const found = [...(await failedJobs()), ...violations(ctx, w, state, await visibleSince(ctx, state))];
        if (found.length > 0) {
          throw new Error(
            [`FC_SEED=${SEED}`, 'world:', describeWorld(w), 'operations:', ...ctx.log, 'violations:', ...found.map((v) => `  ${v}`), 'final state:', describeState(ctx, state)].join('\n'),
          );
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  }, 120_000);
});
