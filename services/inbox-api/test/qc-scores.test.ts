import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, createHarness, type Harness } from './harness.js';
import { seedConversation } from './seed.js';
import { createWorld, type UserName, type World } from './world.js';

const CRITERIA = { greeting: 90, verification: 80, solution: 70, cross_sell: 60, closing: 100 };

/** Issue 5 item 7: QC scores a conversation's agent; a per-agent listing for QC, admins and team leaders. */
describe('quality control scores', () => {
  let h: Harness;
  let w: World;
  beforeAll(async () => {
    h = await createHarness();
    w = await createWorld(h.deps.db);
  });
  afterAll(() => h.close());

  const score = (conversationId: string, criteria: Record<string, number> = CRITERIA, note: string | null = 'Verifikasi kurang satu poin') =>
    h.app.inject({ method: 'POST', url: `/v1/conversations/${conversationId}/qc-scores`, payload: { criteria, note }, headers: bearer(w.token('qc')) });
  const list = (user: UserName, query = '') => h.app.inject({ method: 'GET', url: `/v1/qc-scores${query}`, headers: bearer(w.token(user)) });
  const rowsOf = (conversationId: string) => h.deps.db.selectFrom('qc_scores').selectAll().where('conversation_id', '=', conversationId).execute();

  it("stores a score of the conversation's assignee with the mean as total", async () => {
    const conv = await w.agent1Conversation();
    const res = await score(conv);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      id: expect.any(String),
      conversationId: conv,
      agentId: w.userId('agent1'),
      criteria: CRITERIA,
      total: 80,
      note: 'Verifikasi kurang satu poin',
      createdAt: expect.any(String),
    });
    const rows = await rowsOf(conv);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ tenant_id: w.tenant.id, agent_id: w.userId('agent1'), scorer_id: w.userId('qc'), total: '80.00' });
  });

  it('keeps a total that is not a whole number to two decimals', async () => {
    const res = await score(await w.agent1Conversation(), { greeting: 1, verification: 0, solution: 0, cross_sell: 0, closing: 0 }, null);
    expect(res.json()).toMatchObject({ total: 0.2, note: null });
  });

  it('adds a new row on a second scoring and offers no route that edits one', async () => {
    const conv = await w.agent1Conversation();
    const first = (await score(conv)).json();
    await score(conv, { ...CRITERIA, closing: 50 });
    expect((await rowsOf(conv)).map((r) => Number(r.total)).sort()).toEqual([70, 80]);
    for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
      const res = await h.app.inject({ method, url: `/v1/qc-scores/${first.id}`, payload: { criteria: CRITERIA }, headers: bearer(w.token('qc')) });
      expect(res.statusCode).toBe(404);
    }
  });

  it('refuses to score a queued conversation no agent holds with 409 conversation_has_no_agent, storing nothing', async () => {
    const queued = await w.queuedConversation();
    const res = await score(queued);
    expect([res.statusCode, res.json().error.code]).toEqual([409, 'conversation_has_no_agent']);
    expect(await rowsOf(queued)).toEqual([]);
  });

  it.each(['admin', 'lead', 'agent1'] as const)('refuses a score by %s with 403, storing nothing', async (user) => {
    const conv = await w.agent1Conversation();
    const res = await h.app.inject({ method: 'POST', url: `/v1/conversations/${conv}/qc-scores`, payload: { criteria: CRITERIA }, headers: bearer(w.token(user)) });
    expect([res.statusCode, res.json().error.code]).toEqual([403, 'forbidden']);
    expect(await rowsOf(conv)).toEqual([]);
  });

  describe('the per-agent listing', () => {
    let l: World;
    let tier2Conversation: string;
    beforeAll(async () => {
      // A tenant of its own, so the numbers are exactly these scores.
      l = await createWorld(h.deps.db);
      const as = (conv: string, criteria: Record<string, number>) =>
        h.app.inject({ method: 'POST', url: `/v1/conversations/${conv}/qc-scores`, payload: { criteria }, headers: bearer(l.token('qc')) });
      await as(await l.agent1Conversation(), CRITERIA); // 80
      await as(await l.agent1Conversation(), { ...CRITERIA, closing: 50 }); // 70
      tier2Conversation = await seedConversation(h.deps.db, l.tenant.id, { channelId: l.channelId, teamId: l.tenant.teams.tier2!, assigneeId: l.userId('tier2') });
      await as(tier2Conversation, { greeting: 100, verification: 100, solution: 100, cross_sell: 100, closing: 100 });
    });
    const get = (user: UserName, query = '') => h.app.inject({ method: 'GET', url: `/v1/qc-scores${query}`, headers: bearer(l.token(user)) }).then((r) => r.json());

    it.each(['qc', 'admin'] as const)('shows %s every agent, newest first, with count and average per agent', async (user) => {
      const body = await get(user);
      expect(body.items.map((i: { total: number }) => i.total)).toEqual([100, 70, 80]);
      expect(body.summary).toEqual(
        expect.arrayContaining([
          { agentId: l.userId('agent1'), count: 2, average: 75 },
          { agentId: l.userId('tier2'), count: 1, average: 100 },
        ]),
      );
      expect(body.summary).toHaveLength(2);
    });

    it('shows a team leader only the agents of the teams they lead', async () => {
      const body = await get('lead');
      expect(body.summary).toEqual([{ agentId: l.userId('agent1'), count: 2, average: 75 }]);
      expect(body.items.every((i: { agentId: string }) => i.agentId === l.userId('agent1'))).toBe(true);
      expect((await get('lead', `?agentId=${l.userId('tier2')}`)).items).toEqual([]);
    });

    it('filters by agent and by a time window (from inclusive, to exclusive)', async () => {
      const byAgent = await get('qc', `?agentId=${l.userId('tier2')}`);
      expect(byAgent.items.map((i: { conversationId: string }) => i.conversationId)).toEqual([tier2Conversation]);
      const future = new Date(Date.now() + 3_600_000).toISOString();
      expect(await get('qc', `?from=${encodeURIComponent(future)}`)).toEqual({ items: [], summary: [] });
      const past = new Date(Date.now() - 3_600_000).toISOString();
      expect((await get('qc', `?from=${encodeURIComponent(past)}&to=${encodeURIComponent(future)}`)).items).toHaveLength(3);
      expect((await get('qc', `?to=${encodeURIComponent(past)}`)).items).toEqual([]);
    });

    it('keeps the summary over every match when items are limited', async () => {
      const body = await get('qc', '?limit=1');
      expect(body.items).toHaveLength(1);
      expect(body.summary.reduce((n: number, s: { count: number }) => n + s.count, 0)).toBe(3);
    });

    it("lists none of another tenant's scores", async () => {
      const other = await list('admin');
      expect(other.json().items.some((i: { agentId: string }) => i.agentId === l.userId('agent1'))).toBe(false);
    });
  });
});
