import type { Db } from '@sapa/db/queries/db-handle';
import { businessCalendarOf } from '@sapa/db/queries/teams';
import { replaceUnfiredTimers, type PlannedTimer, type TicketTimer } from '@sapa/db/queries/ticket-timers';
import { updateTicket, type Ticket } from '@sapa/db/queries/tickets';
import { planSla, type BusinessCalendar, type Playbook } from '@sapa/handling';

/**
 * A ticket's SLA clock (issue 5 item 5): its due time and the reminders of its playbook's ladders, planned from the
 * playbook version it started on and written as `ticket_timers` rows in the caller's transaction. The caller
 * enqueues the returned timers after commit (`enqueueTicketTimers`); the tickets service fires them.
 */
export interface SlaReplan {
  ticket: Ticket;
  /** The ticket's unfired timers, to enqueue once the transaction has committed. */
  timers: TicketTimer[];
}

/**
 * The calendar a working-hours SLA counts on: the tenant's zone and holidays, and the business hours of the team
 * that does the work (the chosen outcome's team, else the playbook's, else whoever holds the ticket, else the
 * tenant's default team). "1–2 jam kerja" of a withdrawal are Finance's working hours.
 */
export function slaCalendarOf(db: Db, ticket: Ticket, playbook: Playbook): Promise<BusinessCalendar> {
  const outcomeTeam = playbook.outcomes?.find((o) => o.key === ticket.outcome)?.dispatchTo;
  return businessCalendarOf(db, ticket.tenant_id, { key: outcomeTeam ?? playbook.dispatchTo ?? ticket.team });
}

/**
 * Plans the clock again after something it depends on changed (creation, fields, the outcome, the end of a pause):
 * sets `due_at` and makes the unfired timers match the plan. A paused or already breached ticket gets no due timer;
 * a finished one keeps nothing to fire.
 */
export async function replanSla(db: Db, ticket: Ticket, playbook: Playbook, minuteMs: number): Promise<SlaReplan> {
  if (ticket.status === 'closed' || ticket.status === 'resolved') {
    return { ticket, timers: await replaceUnfiredTimers(db, ticket.tenant_id, ticket.id, []) };
  }
  const calendar = await slaCalendarOf(db, ticket, playbook);
  const plan = planSla(
    playbook,
    { fields: ticket.fields ?? {}, outcome: ticket.outcome, createdAt: ticket.created_at, pausedMs: Number(ticket.sla_paused_ms) },
    calendar,
    { minuteMs },
  );
  const planned: PlannedTimer[] = plan.reminders.map((r) => ({
    key: r.key,
    kind: 'reminder',
    fireAt: r.fireAt,
    // The repeat in ms, so the tickets service plans the next one without knowing the minute length.
    details: { ladder: r.ladder, step: r.step, action: r.action, note: r.note, owner: r.owner, toTeam: r.toTeam, repeatEveryMs: r.repeatEveryMinutes ? r.repeatEveryMinutes * minuteMs : null },
  }));
  if (plan.dueAt && ticket.sla_paused_at === null && ticket.breached_at === null) planned.push({ key: 'due', kind: 'due', fireAt: plan.dueAt });
  const dueChanged = (plan.dueAt?.getTime() ?? null) !== (ticket.due_at?.getTime() ?? null);
  const updated = dueChanged ? await updateTicket(db, ticket.tenant_id, ticket.id, { dueAt: plan.dueAt }) : ticket;
  return { ticket: updated, timers: await replaceUnfiredTimers(db, ticket.tenant_id, ticket.id, planned) };
}
