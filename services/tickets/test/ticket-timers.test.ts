import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DomainEvent } from '@sapa/contracts';
import { replaceUnfiredTimers, type PlannedTimer } from '@sapa/db/queries/ticket-timers';
import { createTicket, listTicketEvents } from '@sapa/db/queries/tickets';
import { createTenant, type TestTenant } from '@sapa/test-support';
import { eventually, sleep, ticketsHarness } from './tickets-harness.js';

/**
 * issue 5 item 5: the ticket service fires ticket timers from their rows. The rows are the promise, not Redis: a
 * timer that never reached the queue is found by the sweeper; a timer fires once whatever the duplicates; a
 * finished ticket reminds no one; a breach reaches the leaders of the team that holds the ticket.
 */
describe('ticket timers', () => {
  const h = ticketsHarness();
  let tenant: TestTenant;
  const events: DomainEvent[] = [];
  let unsubscribe: () => Promise<void>;

  beforeAll(async () => {
    tenant = await createTenant(h.db);
    h.sweptTenants.push(tenant.id);
    unsubscribe = await h.bus.subscribe((e) => events.push(e));
    // A short sweep, so a timer that never reached Redis is found within the test.
    await h.startTickets({ ticketSweepIntervalMs: 200 });
  });
  afterAll(async () => {
    await unsubscribe();
    await h.close();
  });

  async function ticket(team: string | null = 'tier2') {
    const t = await createTicket(h.db, tenant.id, {
      conversationId: null as unknown as string,
      contactId: null,
      playbookKey: 'transaction.complaint',
      playbookVersion: 1,
      fields: {},
      createdBy: tenant.users.agent1!.id,
      actorRoles: ['agent'],
      year: 2026,
    });
    if (team) await h.db.updateTable('tickets').set({ team, status: 'dispatched' }).where('id', '=', t.id).execute();
    return t.id;
  }
  /** Writes timer rows as the inbox API does, without putting any job on the queue (as if Redis had lost them). */
  const plan = (ticketId: string, timers: PlannedTimer[]) => replaceUnfiredTimers(h.db, tenant.id, ticketId, timers);
  const record = (ticketId: string, kind: string) => listTicketEvents(h.db, tenant.id, ticketId, [kind]);
  const reminder = (key: string, fireAt: Date, details: Record<string, unknown> = {}): PlannedTimer => ({
    key,
    kind: 'reminder',
    fireAt,
    details: { ladder: key.split('.')[0], step: 0, action: 'complain_supplier', note: '> 2 Menit : komplain suplier', owner: 'CS / Operator', ...details },
  });

  it('finds a due time that never reached the queue, records the breach once, and alerts the leaders of the team holding the ticket', async () => {
    const id = await ticket('tier2');
    const due = new Date(Date.now() - 1000);
    await h.db.updateTable('tickets').set({ due_at: due }).where('id', '=', id).execute();
    await plan(id, [{ key: 'due', kind: 'due', fireAt: due }]);

    const row = await eventually(async () => {
      const t = await h.db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      return t.breached_at !== null && t;
    });
    expect(row.breached_at!.getTime()).toBeGreaterThanOrEqual(due.getTime());
    const alert = await eventually(async () => events.find((e) => e.type === 'sla.breached' && e.data.ticketId === id));
    expect(alert.audience).toEqual({ leadersOfTeamId: tenant.teams.tier2, userIds: [] });
    expect(alert.data).toMatchObject({ subject: 'ticket', team: 'tier2', dueAt: due.toISOString() });

    await sleep(500);
    expect(await record(id, 'sla_breached')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'sla.breached' && e.data.ticketId === id)).toHaveLength(1);
  });

  it('fires a reminder once even when its job is on the queue twice', async () => {
    const id = await ticket();
    const [timer] = await plan(id, [reminder('pending.0', new Date(Date.now() + 300))]);
    const job = { tenantId: tenant.id, ticketId: id, timerId: timer!.id, fireAt: timer!.fire_at.toISOString() };
    await h.producer.add('ticket.timers', job, { delay: 300 });
    await h.producer.add('ticket.timers', job, { jobId: `dup-${timer!.id}`, delay: 300 });

    const reminders = await eventually(async () => {
      const found = await record(id, 'reminder');
      return found.length > 0 && found;
    });
    await sleep(700);
    expect(await record(id, 'reminder')).toHaveLength(1);
    expect(reminders[0]).toMatchObject({ text: '> 2 Menit : komplain suplier', actor_id: null, details: expect.objectContaining({ key: 'pending.0', action: 'complain_supplier' }) });
    const pushed = events.filter((e) => e.type === 'ticket.updated' && e.data.id === id);
    expect(pushed.map((e) => (e.data.change as { kind: string }).kind)).toEqual(['reminder']);
    expect(pushed[0]!.audience).toEqual({ teamId: tenant.teams.tier2, userIds: [tenant.users.agent1!.id] });
  });

  it('repeats a "follow up berkala" reminder until the ticket is closed', async () => {
    const id = await ticket();
    await plan(id, [reminder('success_not_received.0', new Date(Date.now() + 100), { repeatEveryMs: 300 })]);
    await eventually(async () => (await record(id, 'reminder')).length >= 2);
    await h.db.updateTable('tickets').set({ status: 'closed' }).where('id', '=', id).execute();
    await sleep(800);
    const fired = await record(id, 'reminder');
    expect(fired.length).toBeLessThanOrEqual(3);
    expect(fired.map((e) => e.details.repeat)).toEqual(fired.map((_, i) => i));
  });

  it('does nothing for a finished ticket, or for a timer moved later', async () => {
    const closed = await ticket();
    await h.db.updateTable('tickets').set({ status: 'closed' }).where('id', '=', closed).execute();
    await plan(closed, [reminder('pending.0', new Date(Date.now() - 100))]);

    const moved = await ticket();
    const [early] = await plan(moved, [reminder('pending.1', new Date(Date.now() + 100))]);
    // The job of the first plan is on the queue; then the time moves an hour later.
    await h.producer.add('ticket.timers', { tenantId: tenant.id, ticketId: moved, timerId: early!.id, fireAt: early!.fire_at.toISOString() }, { delay: 100 });
    await plan(moved, [reminder('pending.1', new Date(Date.now() + 3_600_000))]);

    await sleep(1000);
    expect(await record(closed, 'reminder')).toEqual([]);
    expect(await record(moved, 'reminder')).toEqual([]);
    const left = await h.db.selectFrom('ticket_timers').select(['fired_at']).where('ticket_id', '=', moved).executeTakeFirstOrThrow();
    expect(left.fired_at).toBeNull();
  });
});
