import type { Kysely } from 'kysely';
import type { DB } from '@sapa/db';
import { readinessChecks } from '@sapa/db';
import { createEventBus, createProducer, reportQueueDepths, startWorker, type Redis } from '@sapa/queue';
import { startOpsServer, type Logger, type Metrics } from '@sapa/service-kit';
import { SWEEP_TENANT, drainProcessor } from './drain-worker.js';
import { inboundProcessor } from './inbound-worker.js';

export interface RouterDeps {
  db: Kysely<DB>;
  /** BullMQ connection (maxRetriesPerRequest: null), also used to publish events. */
  redis: Redis;
  prefix: string;
  logger: Logger;
  metrics: Metrics;
  concurrency?: number;
  sweepSeconds?: number;
  /** Where /healthz, /readyz and /metrics listen; omit to serve no HTTP (tests). */
  http?: { host: string; port: number };
}

export interface RunningRouter {
  /** Stops taking jobs, lets in-flight jobs finish, then closes the HTTP listener. Connections stay open (the caller's). */
  close(): Promise<void>;
}

/** Starts the inbound and routing workers, the periodic sweep, and the operational HTTP endpoints. */
export async function startRouter(deps: RouterDeps): Promise<RunningRouter> {
  const bus = createEventBus(deps.redis, deps.prefix);
  const producer = createProducer(deps.redis, deps.prefix);
  const onOutcome = (queue: string, outcome: 'completed' | 'failed') => deps.metrics.jobsTotal.inc({ queue, outcome });
  const common = { connection: deps.redis, prefix: deps.prefix, logger: deps.logger, onOutcome };

  const inbound = startWorker('inbound', inboundProcessor({ db: deps.db, bus, producer, logger: deps.logger }), {
    ...common,
    concurrency: deps.concurrency ?? 32,
  });
  // Drains of one team serialise on the team's lock anyway; a few at once covers many teams.
  const routing = startWorker('routing', drainProcessor({ db: deps.db, bus }), { ...common, concurrency: 4 });
  await producer.queue('routing').upsertJobScheduler(
    'sweep',
    { every: (deps.sweepSeconds ?? 5) * 1000 },
    { name: 'routing', data: { tenantId: SWEEP_TENANT, teamIds: [], reason: 'sweep' }, opts: { removeOnComplete: true, removeOnFail: 100 } },
  );

  reportQueueDepths(deps.metrics, producer, ['inbound', 'routing']);

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
      await Promise.all([inbound.close(), routing.close()]);
      await producer.close();
    },
  };
}
