import { ticketUpdated, type TicketChangeNote } from '@sapa/contracts';
import { toTicketDto } from '@sapa/db';
import type { Db } from '@sapa/db/queries/db-handle';
import type { TicketTimer } from '@sapa/db/queries/ticket-timers';
import { ticketAudience, type Ticket } from '@sapa/db/queries/tickets';
import { enqueueTicketTimers } from '@sapa/queue';
import type { InboxApiDeps } from '../deps.js';
import { replanSla } from './sla-clock.js';
import { playbookOf } from './ticket-context.js';

/** What a change of a ticket did, as its transaction answers it. */
export interface TicketChangeResult<T = Ticket> {
  ticket: Ticket;
  /** What `ticket.updated` says changed (`created`, `dispatched`, `note`, …). */
  change: TicketChangeNote;
  /** Whether the SLA clock depends on what changed (fields, outcome, a pause, the end of the ticket). */
  replan: boolean;
  /** What the route answers, when it is not the ticket (a note, an exception). */
  result?: T;
}

/**
 * Runs one change of a ticket in a transaction, re-plans its SLA clock there when the change touches it, and after
 * commit enqueues the timers and tells the live stream (`ticket.updated`). Neither after-commit step can undo the
 * change: a timer that did not reach Redis is picked up by the tickets service's sweeper from its row, and a lost
 * live event only delays what the next listing shows.
 */
export async function changeTicket<T = Ticket>(
  deps: InboxApiDeps,
  slaMinuteMs: number,
  work: (trx: Db) => Promise<TicketChangeResult<T>>,
): Promise<{ ticket: Ticket; result: T }> {
  const done = await deps.db.transaction().execute(async (trx) => {
    const r = await work(trx);
    if (!r.replan) return { ...r, timers: [] as TicketTimer[] };
    const replanned = await replanSla(trx, r.ticket, await playbookOf(trx, r.ticket), slaMinuteMs);
    return { ...r, ticket: replanned.ticket, timers: replanned.timers };
  });
  const { ticket, change, timers } = done;
  if (timers.length > 0) {
    await enqueueTicketTimers(deps.producer, timers).catch((err: unknown) =>
      deps.logger.warn({ err, ticketId: ticket.id }, 'ticket timers not enqueued; the sweeper will enqueue them from their rows'),
    );
  }
  try {
    const audience = await ticketAudience(deps.db, ticket);
    await deps.eventBus.publish(ticketUpdated(ticket.tenant_id, toTicketDto(ticket), audience.teamId, audience.userIds, change));
  } catch (err) {
    deps.logger.warn({ err, ticketId: ticket.id }, 'ticket.updated not published');
  }
  return { ticket, result: (done.result ?? ticket) as T };
}
