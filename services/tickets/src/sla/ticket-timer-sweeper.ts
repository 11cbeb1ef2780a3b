import type { Kysely } from 'kysely';
import type { DB } from '@sapa/db';
import { timersDueBefore } from '@sapa/db/queries/ticket-timers';
import { enqueueTicketTimers, type Producer } from '@sapa/queue';
import type { Logger } from '@sapa/service-kit';

const BATCH = 2000;

export interface TicketTimerSweeper {
  /** One pass now (also what the interval runs); resolves with how many timers it enqueued. */
  sweep(): Promise<number>;
  stop(): void;
}

/**
 * Re-enqueues unfired ticket timers whose time comes within the next interval. Their rows are the promise: Redis
 * keeps nothing on disk, and an enqueue after commit may have failed. The job id names the timer and its time, so a
 * timer that is already on the queue is not added twice; a claimed (fired) row is never selected again.
 */
export function startTicketTimerSweeper(
  db: Kysely<DB>,
  producer: Producer,
  logger: Logger,
  intervalMs: number,
  tenants?: () => readonly string[],
): TicketTimerSweeper {
  let running: Promise<number> | undefined;
  // A bounded pass: should more be due than one pass takes, those already queued fire meanwhile and the next pass
  // reaches the rest.
  const sweep = async (): Promise<number> => {
    const due = await timersDueBefore(db, new Date(Date.now() + intervalMs * 2), BATCH, tenants?.());
    await enqueueTicketTimers(producer, due);
    return due.length;
  };
  const once = () => (running ??= sweep().finally(() => (running = undefined)));
  const timer = setInterval(() => {
    once().catch((err: unknown) => logger.warn({ err }, 'ticket timer sweep failed; the next one tries again'));
  }, intervalMs);
  timer.unref();
  return { sweep: once, stop: () => clearInterval(timer) };
}
