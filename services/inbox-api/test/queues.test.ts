import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createApiChannel, createTenant, type TestTenant } from '@sapa/test-support';
import { bearer, createHarness, type Harness } from './harness.js';
import { seedConversation } from './seed.js';

describe('GET /v1/queues', () => {
  let h: Harness;
  let t: TestTenant;
  beforeAll(async () => {
    h = await createHarness();
    t = await createTenant(
      h.deps.db,
      {
        admin: { roles: ['admin'] },
        qc: { roles: ['quality_control'] },
        lead: { roles: ['team_leader'], teams: ['cs'], leaderOf: ['cs'], presence: 'online' },
        agent1: { roles: ['agent'], teams: ['cs'], presence: 'online' },
        agent2: { roles: ['agent'], teams: ['cs', 'sales'], presence: 'away' },
        gone: { roles: ['agent'], teams: ['cs'], presence: 'online' },
        tier2: { roles: ['tier2'], teams: ['tier2'], presence: 'online' },
        leadAgent: { roles: ['team_leader', 'agent'], teams: ['sales', 'tier2'], leaderOf: ['sales'] },
        finance: { roles: ['related_team'], teams: ['finance'] },
      },
      ['cs', 'tier2', 'sales', 'finance'],
    );
    // A deactivated user's presence row does not make them online.
    await h.deps.db.updateTable('users').set({ is_active: false }).where('id', '=', t.users.gone!.id).execute();
    const channel = await createApiChannel(h.deps.db, t.id, { teamId: t.teamId });
    const queued = async (teamKey: string, waitedSeconds: number) => {
      const id = await seedConversation(h.deps.db, t.id, { channelId: channel.id, teamId: t.teams[teamKey]! });
      await h.deps.db.updateTable('conversations').set({ queued_at: new Date(Date.now() - waitedSeconds * 1000) }).where('id', '=', id).execute();
    };
    await queued('cs', 125);
    await queued('cs', 30);
    await queued('sales', 5);
    // Neither an assigned nor a closed conversation waits.
    await seedConversation(h.deps.db, t.id, { channelId: channel.id, teamId: t.teams.cs!, assigneeId: t.users.agent1!.id });
    await seedConversation(h.deps.db, t.id, { channelId: channel.id, teamId: t.teams.tier2!, status: 'closed' });
    // Another tenant's queue counts nowhere here.
    const other = await createTenant(h.deps.db);
    const otherChannel = await createApiChannel(h.deps.db, other.id, { teamId: other.teamId });
    await seedConversation(h.deps.db, other.id, { channelId: otherChannel.id, teamId: other.teamId });
  });
  afterAll(() => h.close());

  const queues = (as: string) => h.app.inject({ method: 'GET', url: '/v1/queues', headers: bearer(t.users[as]!.token) });

  it('answers per team, by key: waiting conversations, the oldest wait in whole seconds, members online', async () => {
    const res = await queues('admin');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Array<{ teamKey: string; oldestWaitingSeconds: number }>;
    expect(items.map((q) => q.teamKey)).toEqual(['cs', 'finance', 'sales', 'tier2']);
    const cs = items[0]!;
    expect(cs).toEqual({ teamId: t.teams.cs, teamKey: 'cs', waiting: 2, oldestWaitingSeconds: expect.any(Number), agentsOnline: 2 });
    expect(cs.oldestWaitingSeconds).toBeGreaterThanOrEqual(125);
    expect(cs.oldestWaitingSeconds).toBeLessThan(135);
    expect(Number.isInteger(cs.oldestWaitingSeconds)).toBe(true);
    expect(items[2]).toMatchObject({ teamKey: 'sales', waiting: 1, agentsOnline: 0 });
    expect(items[3]).toEqual({ teamId: t.teams.tier2, teamKey: 'tier2', waiting: 0, oldestWaitingSeconds: 0, agentsOnline: 1 });
  });

  const seen: Array<[string, string[]]> = [
    ['admin', ['cs', 'finance', 'sales', 'tier2']],
    ['qc', ['cs', 'finance', 'sales', 'tier2']],
    // A team leader watches the teams they lead.
    ['lead', ['cs']],
    // An agent or Tier 2 the teams they belong to.
    ['agent2', ['cs', 'sales']],
    ['tier2', ['tier2']],
    // Leader of sales and agent of sales and tier2: both.
    ['leadAgent', ['sales', 'tier2']],
  ];

  it.each(seen)('shows %s the queues of %j', async (as, teamKeys) => {
    const res = await queues(as);
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((q: { teamKey: string }) => q.teamKey)).toEqual(teamKeys);
  });

  it('refuses a related team (no queue of its own to work) with 403 forbidden', async () => {
    const res = await queues('finance');
    expect([res.statusCode, res.json().error.code]).toEqual([403, 'forbidden']);
  });

  it('refuses a request without a token with 401', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/v1/queues' });
    expect(res.statusCode).toBe(401);
  });
});
