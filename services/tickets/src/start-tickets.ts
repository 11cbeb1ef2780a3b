import type { Kysely } from 'kysely';
import { Histogram } from 'prom-client';
import type { DB } from '@sapa/db';
import { readinessChecks } from '@sapa/db';
import { createEventBus, createProducer, reportQueueDepths, startWorker, type Redis } from '@sapa/queue';
import { startOpsServer, type Logger, type Metrics } from '@sapa/service-kit';
import { handlingProcessor } from './handling-worker.js';
import { tenantCalendars } from './tenant-calendar.js';
import { startTicketTimerSweeper } from './sla/ticket-timer-sweeper.js';
import { ticketTimerProcessor, type TicketTimerDeps } from './sla/ticket-timer-worker.js';
import { timerProcessor, type FiredTimer } from './timer-worker.js';

export interface TicketsDeps {
  db: Kysely<DB>;
  /** BullMQ connection (maxRetriesPerRequest: null), also used to publish events. */
  redis: Redis;
  prefix: string;
  logger: Logger;
  metrics: Metrics;
  handlingConcurrency?: number;
  timerConcurrency?: number;
  /** Where /healthz, /readyz and /metrics listen; omit to serve no HTTP (tests). */
  http?: { host: string; port: number };
  /** How long tenant settings and holidays are kept in memory (default 5 s): a change reaches the clock within it. */
  settingsTtlMs?: number;
  /** Called after each timer that acted (tests and the benchmark read lateness here). */
  onTimerFired?: (fired: FiredTimer) => void;
  /** Called after each ticket timer (SLA due time, ladder reminder) that acted. */
  onTicketTimerFired?: TicketTimerDeps['onFired'];
  /** How often unfired ticket timers are re-enqueued from their rows (default 30 s). */
  ticketSweepIntervalMs?: number;
  /**
   * Only these tenants' timers are swept (default: every tenant). For tests that run several ticket services on one
   * database, each on queues of its own: a sweeper would otherwise fire another test's timers on its own queues.
   */
  ticketSweepTenants?: () => readonly string[];
}

export interface RunningTickets {
  /** Stops taking jobs, lets in-flight jobs finish, then closes the HTTP listener. Connections stay open (the caller's). */
  close(): Promise<void>;
}

/**
 * Starts the `handling` and `timers` workers of the inactivity clock, the `ticket.timers` worker of ticket SLAs with
 * its sweeper, and the operational HTTP endpoints.
 */
export async function startTickets(deps: TicketsDeps): Promise<RunningTickets> {
  const bus = createEventBus(deps.redis, deps.prefix);
  const producer = createProducer(deps.redis, deps.prefix);
  const onOutcome = (queue: string, outcome: 'completed' | 'failed') => deps.metrics.jobsTotal.inc({ queue, outcome });
  const common = { connection: deps.redis, prefix: deps.prefix, logger: deps.logger, onOutcome };
  const lateness = latenessHistogram(deps.metrics);
  const calendars = tenantCalendars(deps.db, deps.settingsTtlMs);

  const handling = startWorker('handling', handlingProcessor({ db: deps.db, producer, logger: deps.logger, calendars }), {
    ...common,
    concurrency: deps.handlingConcurrency ?? 16,
  });
  const timers = startWorker(
    'timers',
    timerProcessor({
      db: deps.db,
      producer,
      bus,
      logger: deps.logger,
      calendars,
      onFired: (fired) => {
        lateness.observe({ kind: fired.timer.kind }, fired.latenessMs / 1000);
        deps.onTimerFired?.(fired);
      },
    }),
    { ...common, concurrency: deps.timerConcurrency ?? 32 },
  );

  const ticketTimers = startWorker(
    'ticket.timers',
    ticketTimerProcessor({ db: deps.db, producer, bus, logger: deps.logger, onFired: deps.onTicketTimerFired }),
    { ...common, concurrency: deps.timerConcurrency ?? 32 },
  );
  const sweeper = startTicketTimerSweeper(deps.db, producer, deps.logger, deps.ticketSweepIntervalMs ?? 30_000, deps.ticketSweepTenants);
  await sweeper.sweep();

  reportQueueDepths(deps.metrics, producer, ['handling', 'timers', 'ticket.timers']);

  const app = deps.http
    ? await startOpsServer({
        ...deps.http,
        logger: deps.logger,
        metrics: deps.metrics,
        readiness: readinessChecks(deps.db, deps.redis),
      })
    : undefined;

  return {
    async close() {
      await app?.close();
      sweeper.stop();
      await Promise.all([handling.close(), timers.close(), ticketTimers.close()]);
      await producer.close();
    },
  };
}

/** How late each timer acted after its due time (customer-handling.md: within one second). */
function latenessHistogram(metrics: Metrics): Histogram<'kind'> {
  const name = 'sapa_timer_lateness_seconds';
  const existing = metrics.registry.getSingleMetric(name);
  if (existing) return existing as Histogram<'kind'>;
  return new Histogram({
    name,
    help: 'Time from a handling timer being due to it acting, by kind',
    labelNames: ['kind'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [metrics.registry],
  });
}
