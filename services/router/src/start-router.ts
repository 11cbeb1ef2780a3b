import type { Kysely } from 'kysely';
import type { DB, SecretBox } from '@sapa/db';
import { readinessChecks } from '@sapa/db';
import { listRoutingRules } from '@sapa/db/queries/routing-rules';
import { businessCalendarOf } from '@sapa/db/queries/teams';
import { getTenantSettings } from '@sapa/db/queries/tenant-settings';
import { createEventBus, createProducer, reportQueueDepths, startWorker, type Redis } from '@sapa/queue';
import { createTtlCache, startOpsServer, type Logger, type Metrics } from '@sapa/service-kit';
import { SWEEP_TENANT, drainProcessor } from './drain-worker.js';
import { externalAllocators } from './external-allocator.js';
import { inboundProcessor } from './inbound-worker.js';
import { responseProcessor } from './response-chain/response-worker.js';

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
  /** How long tenant settings and routing rules are kept in memory (default 5 s): a change applies within it. */
  settingsTtlMs?: number;
  /** Opens the signing secrets of teams' external allocators (SAPA_SECRET_KEY). */
  secretBox?: SecretBox;
}

export interface RunningRouter {
  /** Stops taking jobs, lets in-flight jobs finish, then closes the HTTP listener. Connections stay open (the caller's). */
  close(): Promise<void>;
}

/**
 * Starts the inbound, routing and first-response workers, the periodic sweep, and the operational HTTP endpoints.
 */
export async function startRouter(deps: RouterDeps): Promise<RunningRouter> {
  const bus = createEventBus(deps.redis, deps.prefix);
  const producer = createProducer(deps.redis, deps.prefix);
  const onOutcome = (queue: string, outcome: 'completed' | 'failed') => deps.metrics.jobsTotal.inc({ queue, outcome });
  const common = { connection: deps.redis, prefix: deps.prefix, logger: deps.logger, onOutcome };

  const ttl = deps.settingsTtlMs ?? 5000;
  const settings = createTtlCache((tenantId) => getTenantSettings(deps.db, tenantId), ttl);
  const rules = createTtlCache((tenantId) => listRoutingRules(deps.db, tenantId), ttl);
  const teamCalendars = createTtlCache((key) => {
    const [tenantId, teamId] = key.split('/') as [string, string];
    return businessCalendarOf(deps.db, tenantId, { id: teamId });
  }, ttl);
  const allocators = externalAllocators({ db: deps.db, secretBox: deps.secretBox, logger: deps.logger, metrics: deps.metrics, ttlMs: ttl });
  const announce = { db: deps.db, bus, producer, settings, allocators };

  const inbound = startWorker('inbound', inboundProcessor({ ...announce, rules, teamCalendars, logger: deps.logger }), {
    ...common,
    concurrency: deps.concurrency ?? 32,
  });
  // Drains of one team serialise on the team's lock anyway; a few at once covers many teams.
  const routing = startWorker('routing', drainProcessor(announce), { ...common, concurrency: 4 });
  const response = startWorker('routing.response', responseProcessor({ ...announce, logger: deps.logger }), { ...common, concurrency: 8 });
  await producer.queue('routing').upsertJobScheduler(
    'sweep',
    { every: (deps.sweepSeconds ?? 5) * 1000 },
    { name: 'routing', data: { tenantId: SWEEP_TENANT, teamIds: [], reason: 'sweep' }, opts: { removeOnComplete: true, removeOnFail: 100 } },
  );

  reportQueueDepths(deps.metrics, producer, ['inbound', 'routing', 'routing.response']);

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
      await Promise.all([inbound.close(), routing.close(), response.close()]);
      await producer.close();
    },
  };
}
