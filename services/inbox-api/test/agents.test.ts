import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Kysely } from 'kysely';
import type { DomainEvent } from '@sapa/contracts';
import type { DB } from '@sapa/db';
import { createTenant, createUser, type TestTenant } from '@sapa/test-support';
import { bearer, createHarness, type Harness } from './harness.js';
import { waitFor } from './wait-for.js';

describe('agents', () => {
  let h: Harness;
  let t: TestTenant;
  const events: DomainEvent[] = [];
  let unsubscribe: () => Promise<void>;
  beforeAll(async () => {
    h = await createHarness();
    t = await createTenant(h.deps.db);
    unsubscribe = await h.deps.eventBus.subscribe((e) => events.push(e));
  });
  afterAll(async () => {
    await unsubscribe();
    await h.close();
  });

  const presence = (token: string, status: string) => h.app.inject({ method: 'PUT', url: '/v1/agents/me/presence', headers: bearer(token), payload: { status } });

  it('sets presence online, asks the router to drain the agent\'s teams at once, and publishes agent.updated', async () => {
    const res = await presence(t.users.agent1!.token, 'online');
    expect([res.statusCode, res.json()]).toEqual([200, { status: 'online' }]);
    const row = await h.deps.db.selectFrom('agents').select('presence').where('user_id', '=', t.users.agent1!.id).executeTakeFirstOrThrow();
    expect(row.presence).toBe('online');

    const jobs = await h.deps.producer.queue('routing').getJobs(['waiting', 'delayed', 'prioritized']);
    expect(jobs.map((j) => j.data)).toContainEqual({ tenantId: t.id, teamIds: [t.teamId], reason: 'agent_online' });

    const event = await waitFor(() => events.find((e) => e.type === 'agent.updated' && e.data.id === t.users.agent1!.id), 'agent.updated');
    expect(event).toMatchObject({ tenantId: t.id, audience: { teamId: t.teamId, userIds: [t.users.agent1!.id] }, data: { id: t.users.agent1!.id, status: 'online', name: 'agent1' } });
  });

  it('going away or offline asks for no drain', async () => {
    const queue = h.deps.producer.queue('routing');
    await queue.drain();
    expect((await presence(t.users.agent2!.token, 'away')).statusCode).toBe(200);
    expect((await presence(t.users.agent2!.token, 'offline')).statusCode).toBe(200);
    expect(await queue.getJobCounts('waiting')).toMatchObject({ waiting: 0 });
  });

  it('answers a user without an agent profile with 403 not_an_agent', async () => {
    const res = await presence(t.users.admin!.token, 'online');
    expect([res.statusCode, res.json().error.code]).toEqual([403, 'not_an_agent']);
  });

  it('lists every agent with teams, presence, load and capacity to admins and QC', async () => {
    for (const who of ['admin', 'qc'] as const) {
      const res = await h.app.inject({ method: 'GET', url: '/v1/agents', headers: bearer(t.users[who]!.token) });
      expect(res.statusCode).toBe(200);
      const items = res.json().items;
      expect(items.map((a: { name: string }) => a.name)).toEqual(['agent1', 'agent2', 'lead', 'tier2']);
      expect(items[0]).toEqual({
        id: t.users.agent1!.id,
        name: 'agent1',
        status: 'online',
        teams: [{ id: t.teamId, key: 'cs', name: 'CS' }],
        activeConversations: { chat: 0, email: 0, voice: 0 },
        capacity: { chat: 5, email: 10, voice: 1 },
        skills: [],
        languages: [],
        extension: null,
      });
    }
  });

  it('lists to a team leader only the agents of the teams they lead', async () => {
    // An agent in both teams shows up once, with both teams.
    await createUser(h.deps.db, t.id, t.teams, `both@${t.slug}.test`, 'both', { roles: ['agent'], teams: ['cs', 'tier2'] });
    const res = await h.app.inject({ method: 'GET', url: '/v1/agents', headers: bearer(t.users.lead!.token) });
    const items = res.json().items as Array<{ name: string; teams: Array<{ key: string }> }>;
    expect(items.map((a) => a.name)).toEqual(['agent1', 'agent2', 'both', 'lead']);
    expect(items.find((a) => a.name === 'both')!.teams.map((x) => x.key)).toEqual(['cs', 'tier2']);
  });
});

/** What PUT /v1/agents/{id} may change, for one tenant: the "nothing changed" check of its refusals. */
async function profileSnapshot(db: Kysely<DB>, tenantId: string) {
  const agents = await db
    .selectFrom('agents')
    .select(['user_id', 'skills', 'languages', 'capacity_chat', 'capacity_email', 'capacity_voice', 'presence'])
    .where('tenant_id', '=', tenantId)
    .orderBy('user_id')
    .execute();
  const memberships = await db.selectFrom('team_members').select(['team_id', 'user_id', 'is_leader']).where('tenant_id', '=', tenantId).orderBy('team_id').orderBy('user_id').execute();
  const audit = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
  return { agents, memberships, audit: Number(audit.n) };
}

describe('PUT /v1/agents/{id}', () => {
  let h: Harness;
  let t: TestTenant;
  let other: TestTenant;
  const events: DomainEvent[] = [];
  let unsubscribe: () => Promise<void>;
  beforeAll(async () => {
    h = await createHarness();
    // lead leads cs and sales; lead2 leads tier2; both is an agent of cs and tier2.
    t = await createTenant(
      h.deps.db,
      {
        admin: { roles: ['admin'] },
        lead: { roles: ['team_leader'], teams: ['cs', 'sales'], leaderOf: ['cs', 'sales'] },
        lead2: { roles: ['team_leader'], teams: ['tier2'], leaderOf: ['tier2'] },
        agent1: { roles: ['agent'], teams: ['cs'] },
        agent2: { roles: ['agent'], teams: ['cs'] },
        both: { roles: ['agent'], teams: ['cs', 'tier2'] },
        tier2: { roles: ['tier2'], teams: ['tier2'] },
        spare: { roles: ['agent'], teams: ['sales'] },
        qc: { roles: ['quality_control'] },
      },
      ['cs', 'tier2', 'sales'],
    );
    other = await createTenant(h.deps.db);
    unsubscribe = await h.deps.eventBus.subscribe((e) => events.push(e));
  });
  afterAll(async () => {
    await unsubscribe();
    await h.close();
  });
  beforeEach(async () => {
    await h.deps.producer.queue('routing').drain();
  });

  const user = (name: string) => t.users[name]!;
  const put = (as: string, agentId: string, payload: Record<string, unknown>, tenant: TestTenant = t) =>
    h.app.inject({ method: 'PUT', url: `/v1/agents/${agentId}`, headers: bearer(tenant.users[as]!.token), payload });
  const drains = async () => (await h.deps.producer.queue('routing').getJobs(['waiting', 'delayed', 'prioritized'])).map((j) => j.data);
  const membershipsOf = (userId: string) =>
    h.deps.db.selectFrom('team_members').select(['team_id', 'is_leader']).where('user_id', '=', userId).orderBy('team_id').execute();

  it('lets an admin set skills, languages, part of the capacity and the teams, answering the agent', async () => {
    const res = await put('admin', user('agent2').id, {
      skills: [{ key: 'fraud', level: 4 }, { key: 'billing', level: 2 }],
      languages: ['id', 'en'],
      capacity: { chat: 7 },
      teams: [t.teams.cs!, t.teams.tier2!],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      id: user('agent2').id,
      name: 'agent2',
      status: 'offline',
      teams: [
        { id: t.teams.cs, key: 'cs', name: 'CS' },
        { id: t.teams.tier2, key: 'tier2', name: 'TIER2' },
      ],
      activeConversations: { chat: 0, email: 0, voice: 0 },
      // Only chat was given: email and voice keep theirs.
      capacity: { chat: 7, email: 10, voice: 1 },
      skills: [
        { key: 'billing', level: 2 },
        { key: 'fraud', level: 4 },
      ],
      languages: ['id', 'en'],
      extension: null,
    });
    const row = await h.deps.db.selectFrom('agents').select(['skills', 'languages']).where('user_id', '=', user('agent2').id).executeTakeFirstOrThrow();
    expect(row).toEqual({ skills: { billing: 2, fraud: 4 }, languages: ['id', 'en'] });
    const audit = await h.deps.db.selectFrom('audit_log').selectAll().where('tenant_id', '=', t.id).where('action', '=', 'agent.updated').execute();
    expect(audit).toEqual([
      expect.objectContaining({ actor_id: user('admin').id, target_type: 'agent', target_id: user('agent2').id, details: expect.objectContaining({ teamsAdded: [t.teams.tier2], teamsRemoved: [] }) }),
    ]);
  });

  it('asks the router to drain the agent\'s teams and publishes agent.updated to each of them', async () => {
    const res = await put('admin', user('agent1').id, { capacity: { chat: 9 }, teams: [t.teams.cs!, t.teams.sales!] });
    expect(res.statusCode).toBe(200);
    expect(await drains()).toEqual([{ tenantId: t.id, teamIds: [t.teams.cs, t.teams.sales], reason: 'agent_profile' }]);
    const published = await waitFor(() => {
      const found = events.filter((e) => e.type === 'agent.updated' && e.data.id === user('agent1').id && (e.data.capacity as { chat: number }).chat === 9);
      return found.length === 2 && found;
    }, 'agent.updated per team');
    expect(published.map((e) => e.audience.teamId).sort()).toEqual([t.teams.cs, t.teams.sales].sort());
    expect(published[0]!.data).toMatchObject({ id: user('agent1').id, name: 'agent1', status: 'offline', capacity: { chat: 9 } });
  });

  it('asks for no drain when the agent can take no more (less capacity, no new team)', async () => {
    const res = await put('admin', user('agent1').id, { capacity: { chat: 2 }, teams: [t.teams.cs!] });
    expect(res.statusCode).toBe(200);
    expect(await drains()).toEqual([]);
  });

  it('keeps the leader flag of a kept team and makes a new team a plain membership', async () => {
    const res = await put('admin', user('lead2').id, { teams: [t.teams.tier2!, t.teams.sales!] });
    expect(res.statusCode).toBe(200);
    const memberships = await membershipsOf(user('lead2').id);
    expect(memberships).toHaveLength(2);
    expect(memberships).toEqual(
      expect.arrayContaining([
        { team_id: t.teams.tier2, is_leader: true },
        { team_id: t.teams.sales, is_leader: false },
      ]),
    );
  });

  it('lets an admin take an agent out of every team', async () => {
    const res = await put('admin', user('spare').id, { teams: [] });
    expect([res.statusCode, res.json().teams]).toEqual([200, []]);
    expect(await membershipsOf(user('spare').id)).toEqual([]);
  });

  it('lets a team leader edit an agent of a team they lead, and move them between teams they lead', async () => {
    const res = await put('lead', user('agent2').id, { skills: [{ key: 'billing', level: 5 }], teams: [t.teams.sales!, t.teams.tier2!] });
    expect(res.statusCode).toBe(200);
    expect(res.json().skills).toEqual([{ key: 'billing', level: 5 }]);
    expect((await membershipsOf(user('agent2').id)).map((m) => m.team_id).sort()).toEqual([t.teams.sales, t.teams.tier2].sort());
  });

  it('lets a leader of one of the agent\'s teams edit them without touching the teams they do not lead', async () => {
    // both is in cs and tier2; lead2 leads tier2 only.
    const res = await put('lead2', user('both').id, { languages: ['jv'], teams: [t.teams.cs!, t.teams.tier2!] });
    expect([res.statusCode, res.json().languages]).toEqual([200, ['jv']]);
  });

  const refusals: Array<[string, string, () => string, () => Record<string, unknown>, number, string]> = [
    ['an agent of no team the leader leads', 'lead', () => user('tier2').id, () => ({ languages: ['id'] }), 403, 'forbidden'],
    ['adding a team the leader does not lead', 'lead', () => user('agent1').id, () => ({ capacity: { chat: 20 }, teams: [t.teams.cs!, t.teams.tier2!] }), 403, 'forbidden'],
    ['removing a team the leader does not lead', 'lead2', () => user('both').id, () => ({ skills: [{ key: 'fraud', level: 1 }], teams: [t.teams.tier2!] }), 403, 'forbidden'],
    ['the edit of an agent, by an agent', 'agent1', () => user('agent1').id, () => ({ capacity: { chat: 50 } }), 403, 'forbidden'],
    ['the edit of an agent, by Tier 2', 'tier2', () => user('tier2').id, () => ({ languages: ['en'] }), 403, 'forbidden'],
    ['the edit of an agent, by QC', 'qc', () => user('agent1').id, () => ({ languages: ['en'] }), 403, 'forbidden'],
    ['an id that is no user', 'admin', () => '00000000-0000-4000-8000-000000000000', () => ({ languages: ['en'] }), 404, 'agent_not_found'],
    ['a user who is no agent', 'admin', () => user('qc').id, () => ({ languages: ['en'] }), 404, 'agent_not_found'],
    ['an agent of another tenant', 'admin', () => other.users.agent1!.id, () => ({ languages: ['en'] }), 404, 'agent_not_found'],
    ['a team of another tenant, with other changes', 'admin', () => user('agent1').id, () => ({ capacity: { chat: 30 }, teams: [t.teams.cs!, other.teamId] }), 404, 'team_not_found'],
    ['a team that does not exist', 'lead', () => user('agent1').id, () => ({ teams: ['00000000-0000-4000-8000-000000000000'] }), 404, 'team_not_found'],
    ['a skill given twice', 'admin', () => user('agent1').id, () => ({ skills: [{ key: 'fraud', level: 1 }, { key: 'fraud', level: 3 }] }), 400, 'validation_failed'],
    ['a skill level of 6', 'admin', () => user('agent1').id, () => ({ skills: [{ key: 'fraud', level: 6 }] }), 400, 'validation_failed'],
    ['a skill key in capitals', 'admin', () => user('agent1').id, () => ({ skills: [{ key: 'Fraud', level: 2 }] }), 400, 'validation_failed'],
    ['a language that is no code', 'admin', () => user('agent1').id, () => ({ languages: ['Indonesian'] }), 400, 'validation_failed'],
    ['a negative capacity', 'admin', () => user('agent1').id, () => ({ capacity: { chat: -1 } }), 400, 'validation_failed'],
    ['an unknown capacity bucket', 'admin', () => user('agent1').id, () => ({ capacity: { sms: 3 } }), 400, 'validation_failed'],
    ['a team given twice', 'admin', () => user('agent1').id, () => ({ teams: [t.teams.cs!, t.teams.cs!] }), 400, 'validation_failed'],
    ['a team id that is no uuid', 'admin', () => user('agent1').id, () => ({ teams: ['cs'] }), 400, 'validation_failed'],
    ['an empty body', 'admin', () => user('agent1').id, () => ({}), 400, 'validation_failed'],
    ['an unknown field', 'admin', () => user('agent1').id, () => ({ presence: 'online' }), 400, 'validation_failed'],
    ['an agent id that is no uuid', 'admin', () => 'agent1', () => ({ languages: ['en'] }), 400, 'validation_failed'],
  ];

  it.each(refusals)('refuses %s (as %s), changing nothing', async (_what, as, agentId, payload, status, code) => {
    const before = await profileSnapshot(h.deps.db, t.id);
    const res = await put(as, agentId(), payload());
    expect([res.statusCode, res.json().error.code]).toEqual([status, code]);
    expect(await profileSnapshot(h.deps.db, t.id)).toEqual(before);
    expect(await drains()).toEqual([]);
  });

  it('names the repeated skill in details.errors', async () => {
    const res = await put('admin', user('agent1').id, { skills: [{ key: 'fraud', level: 1 }, { key: 'billing', level: 2 }, { key: 'fraud', level: 3 }] });
    expect(res.json().error.details.errors).toEqual([expect.objectContaining({ path: 'skills[2].key' })]);
  });

  it('lists the skills (by key) and languages with every agent', async () => {
    await put('admin', user('agent1').id, { skills: [{ key: 'vip', level: 3 }, { key: 'deposit', level: 1 }], languages: ['id'] });
    const res = await h.app.inject({ method: 'GET', url: '/v1/agents', headers: bearer(user('qc').token) });
    const agent1 = res.json().items.find((a: { id: string }) => a.id === user('agent1').id);
    expect(agent1).toMatchObject({ skills: [{ key: 'deposit', level: 1 }, { key: 'vip', level: 3 }], languages: ['id'] });
  });
});
