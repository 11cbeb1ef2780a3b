import type { Kysely } from 'kysely';
import { ticketSlaBreached, ticketUpdated, type TicketTimerJob } from '@sapa/contracts';
import { toTicketDto, type DB } from '@sapa/db';
import { ticketAudience } from '@sapa/db/queries/tickets';
import { enqueueTicketTimers, type EventBus, type Producer } from '@sapa/queue';
import type { Logger } from '@sapa/service-kit';
import { fireTicketTimer, type TicketTimerOutcome } from './fire-ticket-timer.js';

export interface TicketTimerDeps {
  db: Kysely<DB>;
  producer: Producer;
  bus: EventBus;
  logger: Logger;
  /** Called after each timer that acted (tests read reminders and breaches here). */
  onFired?: (outcome: Exclude<TicketTimerOutcome, { kind: 'stale' }>) => void;
}

/**
 * The `ticket.timers` processor. fireTicketTimer decides and commits; after commit a breach goes to the leaders of
 * the team responsible (`sla.breached`) and every change to whoever follows the ticket (`ticket.updated`, the
 * reminder naming its ladder step), and a repeating reminder's next occurrence goes on the queue.
 */
export function ticketTimerProcessor(deps: TicketTimerDeps) {
  return async (job: TicketTimerJob): Promise<string> => {
    const outcome = await fireTicketTimer(deps.db, job, new Date());
    const ids = { tenantId: job.tenantId, ticketId: job.ticketId, timerId: job.timerId };
    if (outcome.kind === 'stale') {
      deps.logger.debug({ ...ids, reason: outcome.reason }, 'ticket timer stale');
      return `stale:${outcome.reason}`;
    }
    const { ticket, timer } = outcome;
    const dto = toTicketDto(ticket);
    const audience = await ticketAudience(deps.db, ticket);
    if (outcome.kind === 'breached') {
      if (audience.teamId) await deps.bus.publish(ticketSlaBreached(job.tenantId, dto, audience.teamId));
      await deps.bus.publish(ticketUpdated(job.tenantId, dto, audience.teamId, audience.userIds, { kind: 'sla_breached' }));
      deps.logger.info({ ...ids, team: ticket.team, dueAt: ticket.due_at }, 'ticket SLA breached');
    } else {
      const d = timer.details;
      const change = { kind: 'reminder', key: timer.key, ladder: d.ladder, step: d.step, action: d.action, note: d.note, owner: d.owner ?? null };
      await deps.bus.publish(ticketUpdated(job.tenantId, dto, audience.teamId, audience.userIds, change));
      if (outcome.next) await enqueueTicketTimers(deps.producer, [outcome.next]);
      deps.logger.info({ ...ids, key: timer.key, action: d.action, latenessMs: Date.now() - timer.fire_at.getTime() }, 'ticket reminder fired');
    }
    deps.onFired?.(outcome);
    return outcome.kind;
  };
}
