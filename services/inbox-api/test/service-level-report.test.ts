import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, createHarness, type Harness } from './harness.js';
import { seedConversation } from './seed.js';
import { createWorld, type UserName, type World } from './world.js';

const FROM = '2026-03-02T00:00:00.000Z';
const TO = '2026-03-03T00:00:00.000Z';
const at = (iso: string, plusSeconds = 0) => new Date(new Date(iso).getTime() + plusSeconds * 1000);
const T0 = '2026-03-02T09:00:00.000Z';

/**
 * Issue 5 item 6 on a known data set, inserted straight into the tables. First responses (seconds) of cs
 * conversations first assigned in the window: 30, 60, 120, 240, 600; one of tier2: 1000; an unanswered one and one
 * assigned before the window do not count. Closed in the window: the five cs ones (one with a dispatched ticket) and
 * the tier2 one. Tickets opened in the window: withdrawal ×2 (one dispatched to tier2), fraud ×1, and a deposit on the
 * tier2 conversation; three of them missed a due time in the window.
 */
describe('service-level report', () => {
  let h: Harness;
  let w: World;
  beforeAll(async () => {
    h = await createHarness();
    w = await createWorld(h.deps.db);
    const db = h.deps.db;
    const tenantId = w.tenant.id;
    const cs = w.tenant.teamId;
    const tier2Team = w.tenant.teams.tier2!;

    const conversation = async (o: { teamId: string; agent: 'agent1' | 'tier2'; assignedAt: Date; replyAfter: number | null; closedAt: Date | null }) => {
      const id = await seedConversation(db, tenantId, { channelId: w.channelId, teamId: o.teamId, assigneeId: w.userId(o.agent), status: o.closedAt ? 'closed' : 'assigned' });
      if (o.closedAt) await db.updateTable('conversations').set({ closed_at: o.closedAt }).where('id', '=', id).execute();
      await db.insertInto('assignments').values({ tenant_id: tenantId, conversation_id: id, action: 'assigned', agent_id: w.userId(o.agent), team_id: o.teamId, created_at: o.assignedAt }).execute();
      const message = (direction: 'in' | 'out', author: 'contact' | 'agent' | 'system', after: number) =>
        db
          .insertInto('messages')
          .values({ tenant_id: tenantId, conversation_id: id, channel_id: w.channelId, direction, author_type: author, author_id: author === 'agent' ? w.userId(o.agent) : null, text: 'x', status: 'sent', created_at: at(o.assignedAt.toISOString(), after) })
          .execute();
      // Neither the customer's messages nor the system's greeting are a first response.
      await message('in', 'contact', 2);
      await message('out', 'system', 3);
      if (o.replyAfter !== null) {
        await message('out', 'agent', o.replyAfter);
        await message('out', 'agent', o.replyAfter + 5);
      }
      return id;
    };
    const ticket = async (
      conversationId: string,
      playbookKey: string,
      team: string | null,
      createdAt: Date,
      dispatched: boolean,
      sla: { dueAt?: Date; breachedAt?: Date; status?: 'closed' } = {},
    ) => {
      const t = await db
        .insertInto('tickets')
        .values({
          tenant_id: tenantId,
          number: `2026-${Math.random().toString().slice(2, 12)}`,
          conversation_id: conversationId,
          playbook_key: playbookKey,
          playbook_version: 1,
          team,
          created_at: createdAt,
          due_at: sla.dueAt ?? null,
          breached_at: sla.breachedAt ?? null,
          ...(sla.status ? { status: sla.status } : {}),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (dispatched) await db.insertInto('ticket_events').values({ tenant_id: tenantId, ticket_id: t.id, kind: 'dispatched', to_team: 'tier2', created_at: createdAt }).execute();
    };

    const closed = at(T0, 3600);
    const csIds: string[] = [];
    for (const [i, seconds] of [30, 60, 120, 240, 600].entries()) {
      csIds.push(await conversation({ teamId: cs, agent: 'agent1', assignedAt: at(T0, i * 60), replyAfter: seconds, closedAt: closed }));
    }
    // Re-assigned later: the first assignment counts.
    await db.insertInto('assignments').values({ tenant_id: tenantId, conversation_id: csIds[0]!, action: 'assigned', agent_id: w.userId('agent2'), team_id: cs, created_at: at(T0, 25) }).execute();
    await conversation({ teamId: cs, agent: 'agent1', assignedAt: at(T0, 900), replyAfter: null, closedAt: null });
    await conversation({ teamId: cs, agent: 'agent1', assignedAt: at(FROM, -600), replyAfter: 10, closedAt: at(FROM, -60) });
    const tier2Conversation = await conversation({ teamId: tier2Team, agent: 'tier2', assignedAt: at(T0, 1200), replyAfter: 1000, closedAt: closed });

    // Breaches (tickets whose due time fell in the window and that missed it): the recorded one, the one still open
    // past its due time, and the tier2 team's one; not the one closed in time, nor the one due before the window.
    await ticket(csIds[1]!, 'account.balance_withdrawal', 'tier2', at(T0, 600), true, { dueAt: at(T0, 7200), breachedAt: at(T0, 7200) });
    await ticket(csIds[2]!, 'fraud.triangle_scam', null, at(T0, 700), false, { dueAt: at(T0, 3600) });
    await ticket(csIds[3]!, 'account.balance_withdrawal', null, at(T0, 800), false, { dueAt: at(T0, 3600), status: 'closed' });
    await ticket(csIds[4]!, 'account.balance_withdrawal', null, at(FROM, -5), false, { dueAt: at(FROM, -1), breachedAt: at(FROM, -1) });
    await ticket(tier2Conversation, 'deposit.bank_transfer_missing', null, at(T0, 1300), false, { dueAt: at(T0, 1900), breachedAt: at(T0, 1900) });
  });
  afterAll(() => h.close());

  const report = (user: UserName, query: string) => h.app.inject({ method: 'GET', url: `/v1/reports/service-level?${query}`, headers: bearer(w.token(user)) });
  const window = `from=${FROM}&to=${TO}`;

  it.each(['admin', 'qc'] as const)('gives %s the numbers of the whole tenant', async (user) => {
    const res = await report(user, window);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      firstResponse: { p50Seconds: 180, p90Seconds: 800, withinTargetShare: 0.5, targetSeconds: 180 },
      fcr: { share: 0.8333, target: 0.7, conversations: 6 },
      ticketsByPlaybook: [
        { playbookKey: 'account.balance_withdrawal', count: 2 },
        { playbookKey: 'deposit.bank_transfer_missing', count: 1 },
        { playbookKey: 'fraud.triangle_scam', count: 1 },
      ],
      ticketsByTeam: [
        { team: 'cs', count: 2 },
        { team: 'tier2', count: 2 },
      ],
      breaches: 3,
    });
  });

  it('narrows every number to one team with teamId, and gives a team leader their own teams by default', async () => {
    const expected = {
      firstResponse: { p50Seconds: 120, p90Seconds: 456, withinTargetShare: 0.6, targetSeconds: 180 },
      fcr: { share: 0.8, target: 0.7, conversations: 5 },
      ticketsByPlaybook: [
        { playbookKey: 'account.balance_withdrawal', count: 2 },
        { playbookKey: 'fraud.triangle_scam', count: 1 },
      ],
      ticketsByTeam: [
        { team: 'cs', count: 2 },
        { team: 'tier2', count: 1 },
      ],
      breaches: 2,
    };
    expect((await report('admin', `${window}&teamId=${w.tenant.teamId}`)).json()).toEqual(expected);
    expect((await report('lead', window)).json()).toEqual(expected);
  });

  it("measures against the tenant's first-response target", async () => {
    await h.app.inject({ method: 'PATCH', url: '/v1/tenant/settings', payload: { routing: { firstResponseSeconds: 240 } }, headers: bearer(w.token('admin')) });
    const body = (await report('qc', `${window}&teamId=${w.tenant.teamId}`)).json();
    expect(body.firstResponse).toEqual({ p50Seconds: 120, p90Seconds: 456, withinTargetShare: 0.8, targetSeconds: 240 });
    await h.app.inject({ method: 'PATCH', url: '/v1/tenant/settings', payload: { routing: { firstResponseSeconds: 180 } }, headers: bearer(w.token('admin')) });
  });

  it('answers nulls and zeros for a window with nothing in it', async () => {
    const body = (await report('admin', 'from=2025-01-01T00:00:00Z&to=2025-01-02T00:00:00Z')).json();
    expect(body).toEqual({
      firstResponse: { p50Seconds: null, p90Seconds: null, withinTargetShare: null, targetSeconds: 180 },
      fcr: { share: null, target: 0.7, conversations: 0 },
      ticketsByPlaybook: [],
      ticketsByTeam: [],
      breaches: 0,
    });
  });

  it('refuses a team leader the report of a team they do not lead with 403', async () => {
    const res = await report('lead', `${window}&teamId=${w.tenant.teams.tier2}`);
    expect([res.statusCode, res.json().error.code]).toEqual([403, 'forbidden']);
  });

  it("answers 404 team_not_found for a team of another tenant", async () => {
    const other = await createWorld(h.deps.db);
    const res = await report('admin', `${window}&teamId=${other.tenant.teamId}`);
    expect([res.statusCode, res.json().error.code]).toEqual([404, 'team_not_found']);
  });

  it.each([
    ['a window that ends before it starts', `from=${TO}&to=${FROM}`],
    ['a window without to', `from=${FROM}`],
    ['a from that is no date-time', `from=monday&to=${TO}`],
  ])('refuses %s with 400 validation_failed', async (_what, query) => {
    const res = await report('admin', query);
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'validation_failed']);
  });
});
