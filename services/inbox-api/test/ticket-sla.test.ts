import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DomainEvent } from '@sapa/contracts';
import { publishPlaybooks } from '@sapa/db/queries/playbooks';
import { addWorkingTime, DEFAULT_BUSINESS_HOURS } from '@sapa/handling';
import { createApiChannel, createTenant, type TestTenant } from '@sapa/test-support';
import { demoPlaybooks } from './demo-playbooks.js';
import { bearer, createHarness, type Harness } from './harness.js';
import { seedConversation } from './seed.js';
import { waitFor } from './wait-for.js';

// The SLA clock of tickets as the inbox API plans it (issue 5 item 5): due times on the business calendar of the
// team that does the work, ladder reminders as ticket_timers rows and delayed jobs, pauses while the ticket waits on
// the customer, the breached listing, approvals of the bon gate, and the ticket's record.

const USERS = {
  admin: { roles: ['admin'] },
  lead: { roles: ['team_leader'], teams: ['cs'], leaderOf: ['cs'] },
  agent1: { roles: ['agent'], teams: ['cs'] },
  tier2: { roles: ['tier2'], teams: ['tier2'] },
  spv: { roles: ['related_team'], teams: ['supervisor'] },
  finance: { roles: ['related_team'], teams: ['finance'] },
};
type User = keyof typeof USERS;
const PLAYBOOKS = ['account.balance_withdrawal', 'transaction.complaint', 'deposit.bank_transfer_missing', 'deposit.transfer_without_ticket', 'bon.credit_request'];
const MINUTE = 60_000;

describe('ticket SLA clock', () => {
  let h: Harness;
  let tenant: TestTenant;
  let channelId: string;
  /** The inbox API's clock: pauses and resumes are stamped with it. */
  let clock = new Date();
  const events: DomainEvent[] = [];
  let unsubscribe: () => Promise<void>;

  beforeAll(async () => {
    h = await createHarness({ now: () => clock });
    tenant = await createTenant(h.deps.db, USERS, ['cs', 'tier2', 'finance', 'backend', 'supervisor']);
    channelId = (await createApiChannel(h.deps.db, tenant.id, { teamId: tenant.teamId })).id;
    await publishPlaybooks(h.deps.db, tenant.id, demoPlaybooks().filter((p) => PLAYBOOKS.includes(p.key)), null);
    unsubscribe = await h.deps.eventBus.subscribe((e) => events.push(e));
  });
  afterAll(async () => {
    await unsubscribe();
    await h.close();
  });

  const as = (user: User, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Record<string, unknown>) =>
    h.app.inject({ method, url, headers: bearer(tenant.users[user]!.token), ...(payload ? { payload } : {}) });

  async function open(playbookKey: string, fields: Record<string, unknown> = {}) {
    const conversationId = await seedConversation(h.deps.db, tenant.id, { channelId, teamId: tenant.teamId, assigneeId: tenant.users.agent1!.id });
    const res = await as('agent1', 'POST', '/v1/tickets', { conversationId, playbookKey, fields });
    expect(res.statusCode).toBe(201);
    return res.json();
  }
  const ticketRow = (id: string) => h.deps.db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const timers = (id: string) =>
    h.deps.db.selectFrom('ticket_timers').select(['key', 'kind', 'fire_at', 'fired_at']).where('ticket_id', '=', id).orderBy('fire_at').orderBy('key').execute();

  it('counts a withdrawal’s 2 working hours on Finance’s business hours, and puts its due timer on the queue', async () => {
    const ticket = await open('account.balance_withdrawal');
    const row = await ticketRow(ticket.id);
    const expected = addWorkingTime(row.created_at, 120 * MINUTE, { timeZone: 'Asia/Jakarta', hours: DEFAULT_BUSINESS_HOURS, holidays: [] });
    expect(ticket.dueAt).toBe(expected.toISOString());
    expect(ticket.breached).toBe(false);
    const rows = await timers(ticket.id);
    expect(rows).toEqual([{ key: 'due', kind: 'due', fire_at: expected, fired_at: null }]);
    const jobs = await h.deps.producer.queue('ticket.timers').getJobs(['delayed', 'waiting']);
    expect(jobs.some((j) => j.data.ticketId === ticket.id && j.data.fireAt === expected.toISOString())).toBe(true);
  });

  it('follows the business hours an admin sets for the team, and refuses hours that make no sense', async () => {
    const finance = tenant.teams.finance!;
    const bad = await as('admin', 'PATCH', `/v1/teams/${finance}`, { businessHours: { mon: [{ from: '17:00', to: '08:00' }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
    expect(JSON.stringify(bad.json().error.details)).toContain('mon[0]');
    const unchanged = (await as('agent1', 'GET', '/v1/teams')).json().items.find((t: { id: string }) => t.id === finance);
    expect(unchanged.businessHours).toEqual(DEFAULT_BUSINESS_HOURS);

    const allWeek = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ from: '00:00', to: '24:00' }]]));
    const ok = await as('admin', 'PATCH', `/v1/teams/${finance}`, { businessHours: allWeek });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().businessHours).toEqual(allWeek);
    try {
      const ticket = await open('account.balance_withdrawal');
      const row = await ticketRow(ticket.id);
      expect(Date.parse(ticket.dueAt) - row.created_at.getTime()).toBe(120 * MINUTE);
    } finally {
      await as('admin', 'PATCH', `/v1/teams/${finance}`, { businessHours: DEFAULT_BUSINESS_HOURS });
    }
  });

  it('plans the pending-transaction ladder from the transaction time, and re-plans it when the status changes', async () => {
    const at = new Date(Date.now() - 5 * MINUTE);
    const ticket = await open('transaction.complaint', { transaction_time: at.toISOString(), transaction_status: 'pending' });
    expect(ticket.dueAt).toBeNull();
    expect(await timers(ticket.id)).toEqual([
      { key: 'pending.0', kind: 'reminder', fire_at: new Date(at.getTime() + 2 * MINUTE), fired_at: null },
      { key: 'pending.1', kind: 'reminder', fire_at: new Date(at.getTime() + 15 * MINUTE), fired_at: null },
    ]);

    const res = await as('agent1', 'PATCH', `/v1/tickets/${ticket.id}`, { fields: { transaction_status: 'success', problem_category: 'wrong_destination' } });
    expect(res.statusCode).toBe(200);
    expect(await timers(ticket.id)).toEqual([{ key: 'wrong_destination.0', kind: 'reminder', fire_at: at, fired_at: null }]);
  });

  it('takes the due time of the chosen outcome, and refuses an outcome that does not fit the fields', async () => {
    const ticket = await open('deposit.bank_transfer_missing', { matches_ticket: false });
    expect(ticket.dueAt).toBeNull();
    const unknown = await as('agent1', 'PATCH', `/v1/tickets/${ticket.id}`, { outcome: 'refund' });
    expect([unknown.statusCode, unknown.json().error.details.errors[0].path]).toEqual([400, 'outcome']);
    const unfit = await as('agent1', 'PATCH', `/v1/tickets/${ticket.id}`, { outcome: 'matches_ticket' });
    expect([unfit.statusCode, unfit.json().error.details.errors[0].path]).toEqual([400, 'outcome']);
    expect((await ticketRow(ticket.id)).outcome).toBeNull();

    const chosen = await as('agent1', 'PATCH', `/v1/tickets/${ticket.id}`, { outcome: 'mismatch' });
    expect(chosen.statusCode).toBe(200);
    const row = await ticketRow(ticket.id);
    expect(chosen.json()).toMatchObject({ outcome: 'mismatch', dueAt: new Date(row.created_at.getTime() + 30 * MINUTE).toISOString() });
  });

  it('stands the due clock still while the ticket waits on the customer, and adds the wait when it resumes', async () => {
    clock = new Date();
    const ticket = await open('deposit.transfer_without_ticket');
    const due = Date.parse(ticket.dueAt);
    expect(due - (await ticketRow(ticket.id)).created_at.getTime()).toBe(1440 * MINUTE);

    const blank = await as('agent1', 'POST', `/v1/tickets/${ticket.id}/waiting-on-customer`, { reason: '   ' });
    expect([blank.statusCode, blank.json().error.code]).toEqual([400, 'validation_failed']);
    expect((await ticketRow(ticket.id)).sla_paused_at).toBeNull();

    const paused = await as('agent1', 'POST', `/v1/tickets/${ticket.id}/waiting-on-customer`, { reason: 'Menunggu bukti transfer' });
    expect(paused.statusCode).toBe(200);
    expect(paused.json().waitingOnCustomerSince).toBe(clock.toISOString());
    expect(paused.json().status).toBe('open');
    expect(await timers(ticket.id)).toEqual([]);

    // Past due while waiting: not a breach.
    await h.deps.db.updateTable('tickets').set({ due_at: new Date(Date.now() - MINUTE) }).where('id', '=', ticket.id).execute();
    expect((await as('lead', 'GET', '/v1/tickets?breached=true')).json().items.map((t: { id: string }) => t.id)).not.toContain(ticket.id);
    await h.deps.db.updateTable('tickets').set({ due_at: new Date(due) }).where('id', '=', ticket.id).execute();

    clock = new Date(clock.getTime() + 10 * MINUTE);
    const resumed = await as('agent1', 'POST', `/v1/tickets/${ticket.id}/resume`);
    expect(resumed.statusCode).toBe(200);
    expect(resumed.json().waitingOnCustomerSince).toBeNull();
    expect(Date.parse(resumed.json().dueAt) - due).toBe(10 * MINUTE);
    expect((await timers(ticket.id)).map((t) => t.key)).toEqual(['due']);

    const record = (await as('agent1', 'GET', `/v1/tickets/${ticket.id}/events`)).json().items;
    expect(record.map((e: { kind: string }) => e.kind)).toEqual(['created', 'waiting_on_customer', 'resumed']);
    expect(record[1].text).toBe('Menunggu bukti transfer');
    expect(record[2].details).toEqual({ pausedMs: 10 * MINUTE });
  });

  it('lists the tickets past their due time with breached=true, and only those', async () => {
    const late = await open('deposit.transfer_without_ticket');
    const onTime = await open('deposit.transfer_without_ticket');
    await h.deps.db.updateTable('tickets').set({ due_at: new Date(Date.now() - MINUTE) }).where('id', '=', late.id).execute();

    const breached = (await as('lead', 'GET', '/v1/tickets?breached=true&limit=100')).json().items;
    expect(breached.map((t: { id: string }) => t.id)).toContain(late.id);
    expect(breached.map((t: { id: string }) => t.id)).not.toContain(onTime.id);
    expect(breached.every((t: { breached: boolean }) => t.breached)).toBe(true);
    const others = (await as('lead', 'GET', '/v1/tickets?breached=false&limit=100')).json().items.map((t: { id: string }) => t.id);
    expect(others).toContain(onTime.id);
    expect(others).not.toContain(late.id);

    const bad = await as('lead', 'GET', '/v1/tickets?breached=yes');
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'validation_failed']);
  });

  it('holds a bon with an outstanding earlier bon until the supervisor approves it', async () => {
    const ticket = await open('bon.credit_request', {
      transfer_proof: 'bukti-transfer.jpg',
      transfer_time: new Date().toISOString(),
      amount: 500_000,
      destination_bank: 'BRI',
      agent_id: 'AG-2002',
      has_outstanding_bon: true,
    });
    expect((await as('agent1', 'POST', `/v1/tickets/${ticket.id}/verification`, { checked: ['agent_id'] })).statusCode).toBe(200);
    expect((await as('agent1', 'POST', `/v1/tickets/${ticket.id}/dispatch`, { team: 'tier2' })).statusCode).toBe(200);

    const refused = await as('tier2', 'POST', `/v1/tickets/${ticket.id}/dispatch`, { team: 'finance' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.details).toEqual({
      gate: 'supervisor_approval',
      missing: [{ kind: 'approval', approverTeams: ['supervisor'], approverRoles: ['team_leader'] }],
    });

    const notApprover = await as('tier2', 'POST', `/v1/tickets/${ticket.id}/approvals`, { gate: 'supervisor_approval' });
    expect([notApprover.statusCode, notApprover.json().error.code]).toEqual([403, 'not_an_approver']);
    // Tier 2 asks the supervisor (the outcome "ask_supervisor" dispatches there; the gate lets that hop through).
    expect((await as('tier2', 'POST', `/v1/tickets/${ticket.id}/dispatch`, { team: 'supervisor', note: 'Mohon persetujuan bon' })).statusCode).toBe(200);
    const noApprovalCheck = await as('spv', 'POST', `/v1/tickets/${ticket.id}/approvals`, { gate: 'verified' });
    expect([noApprovalCheck.statusCode, noApprovalCheck.json().error.code]).toEqual([400, 'gate_needs_no_approval']);
    const unknownGate = await as('spv', 'POST', `/v1/tickets/${ticket.id}/approvals`, { gate: 'no_such_gate' });
    expect([unknownGate.statusCode, unknownGate.json().error.code]).toEqual([400, 'validation_failed']);

    const approved = await as('spv', 'POST', `/v1/tickets/${ticket.id}/approvals`, { gate: 'supervisor_approval', note: 'Disetujui, limit 500 rb' });
    expect(approved.statusCode).toBe(201);
    expect(approved.json()).toMatchObject({ kind: 'approval', gate: 'supervisor_approval', text: 'Disetujui, limit 500 rb', actorId: tenant.users.spv!.id });

    expect((await as('spv', 'POST', `/v1/tickets/${ticket.id}/dispatch`, { team: 'tier2' })).statusCode).toBe(200);
    const moved = await as('tier2', 'POST', `/v1/tickets/${ticket.id}/dispatch`, { team: 'finance' });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().team).toBe('finance');
  });

  it('tells the live stream of every change, and keeps each hop with its due time in the record', async () => {
    const ticket = await open('account.balance_withdrawal');
    await waitFor(() => events.some((e) => e.type === 'ticket.updated' && e.data.id === ticket.id && (e.data.change as { kind: string }).kind === 'created'), 'ticket.updated created');
    const created = events.find((e) => e.type === 'ticket.updated' && e.data.id === ticket.id)!;
    expect(created.audience).toEqual({ teamId: tenant.teamId, userIds: [tenant.users.agent1!.id] });

    await as('agent1', 'POST', `/v1/tickets/${ticket.id}/notes`, { text: 'Nasabah minta dipercepat' });
    await waitFor(() => events.some((e) => e.type === 'ticket.updated' && e.data.id === ticket.id && (e.data.change as { kind: string }).kind === 'note'), 'ticket.updated note');

    const record = (await as('agent1', 'GET', `/v1/tickets/${ticket.id}/events`)).json().items;
    expect(record.map((e: { kind: string }) => e.kind)).toEqual(['created', 'note']);
    expect(record[1]).toMatchObject({ text: 'Nasabah minta dipercepat', fromTeam: null, actorId: tenant.users.agent1!.id });
  });
});
