import type { Kysely } from 'kysely';
import type { TicketTimerJob } from '@sapa/contracts';
import type { DB } from '@sapa/db';
import { addTimer, claimTimer, type TicketTimer } from '@sapa/db/queries/ticket-timers';
import { addTicketEvent, findTicket, updateTicket, type Ticket } from '@sapa/db/queries/tickets';

/** A job may run a little before its row's time (clocks of two processes, BullMQ's timer granularity). */
const EARLY_MS = 250;

export type TicketTimerOutcome =
  | { kind: 'stale'; reason: 'not_due' | 'ticket_gone' | 'ticket_finished' | 'already_breached' | 'paused' }
  | { kind: 'breached'; ticket: Ticket; timer: TicketTimer }
  | { kind: 'reminded'; ticket: Ticket; timer: TicketTimer; next: TicketTimer | undefined };

/**
 * Fires one ticket timer in one transaction: claims its row (a timer fires once, whatever the retries and
 * replicas), then either records the breach of the due time (`breached_at`, a `sla_breached` event) or appends the
 * ladder's reminder to the ticket's record, planning its next repeat when the step says "follow up berkala".
 * Everything else is stale and does nothing: a dropped or moved row, a finished or paused ticket.
 */
export function fireTicketTimer(db: Kysely<DB>, job: TicketTimerJob, now: Date): Promise<TicketTimerOutcome> {
  return db.transaction().execute(async (trx): Promise<TicketTimerOutcome> => {
    // The ticket first, then its timer: the inbox API changes timers with the ticket locked, in that order too.
    const ticket = await findTicket(trx, job.tenantId, job.ticketId, { forUpdate: true });
    if (!ticket) return { kind: 'stale', reason: 'ticket_gone' };
    const timer = await claimTimer(trx, job.timerId, new Date(now.getTime() + EARLY_MS));
    if (!timer) return { kind: 'stale', reason: 'not_due' };
    if (ticket.status === 'closed' || ticket.status === 'resolved') return { kind: 'stale', reason: 'ticket_finished' };

    if (timer.kind === 'due') {
      if (ticket.breached_at) return { kind: 'stale', reason: 'already_breached' };
      if (ticket.sla_paused_at) return { kind: 'stale', reason: 'paused' };
      const breached = await updateTicket(trx, job.tenantId, ticket.id, { breached: true });
      await addTicketEvent(trx, job.tenantId, ticket.id, { kind: 'sla_breached', actorId: null, actorRoles: [], fromTeam: ticket.team, dueAt: ticket.due_at });
      return { kind: 'breached', ticket: breached, timer };
    }

    const details = timer.details;
    await addTicketEvent(trx, job.tenantId, ticket.id, {
      kind: 'reminder',
      actorId: null,
      actorRoles: [],
      fromTeam: ticket.team,
      toTeam: typeof details.toTeam === 'string' ? details.toTeam : null,
      text: typeof details.note === 'string' ? details.note : null,
      details: { key: timer.key, repeat: timer.repeat, ladder: details.ladder, step: details.step, action: details.action, owner: details.owner ?? null },
    });
    const every = typeof details.repeatEveryMs === 'number' ? details.repeatEveryMs : null;
    const next = every
      ? await addTimer(trx, job.tenantId, ticket.id, { key: timer.key, repeat: timer.repeat + 1, kind: 'reminder', fireAt: new Date(timer.fire_at.getTime() + every), details })
      : undefined;
    return { kind: 'reminded', ticket, timer, next };
  });
}
