import type { Producer } from './producer.js';

/** The parts of a `ticket_timers` row that its job carries (structural, so this package needs no db types). */
export interface TicketTimerRow {
  id: string;
  tenant_id: string;
  ticket_id: string;
  fire_at: Date;
}

/**
 * Puts ticket timers on the `ticket.timers` queue as delayed jobs, after the transaction that wrote their rows has
 * committed. The job id names the timer and its time, so adding one twice (a retry, the sweeper) is a no-op.
 */
export async function enqueueTicketTimers(producer: Producer, timers: readonly TicketTimerRow[], now: number = Date.now()): Promise<void> {
  await Promise.all(
    timers.map((t) =>
      producer.add(
        'ticket.timers',
        { tenantId: t.tenant_id, ticketId: t.ticket_id, timerId: t.id, fireAt: t.fire_at.toISOString() },
        { delay: Math.max(0, t.fire_at.getTime() - now) },
      ),
    ),
  );
}
