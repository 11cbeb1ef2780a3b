import type { Kysely } from 'kysely';
import type { DB, SecretBox } from '@sapa/db';
import { readinessChecks } from '@sapa/db';
import { getTenantSettings } from '@sapa/db/queries/tenant-settings';
import { createEventBus, createProducer, reportQueueDepths, startWorker, type Redis } from '@sapa/queue';
import { createTtlCache, startOpsServer, type Logger, type Metrics } from '@sapa/service-kit';
import { startAmiSupervisor, type AmiSupervisor, type AmiSupervisorDeps } from './ami/ami-supervisor.js';
import { callEventProcessor } from './call-event-worker.js';
import { originateProcessor } from './originate-worker.js';

export interface VoiceDeps {
  db: Kysely<DB>;
  /** BullMQ connection (maxRetriesPerRequest: null); also holds the AMI leases and publishes events. */
  redis: Redis;
  prefix: string;
  logger: Logger;
  metrics: Metrics;
  /** Opens the AMI secrets of `asterisk_ami` channels (SAPA_SECRET_KEY). */
  secretBox: SecretBox;
  /** Call events applied at once per process (default 8). */
  concurrency?: number;
  /** Where /healthz, /readyz and /metrics listen; omit to serve no HTTP (tests). */
  http?: { host: string; port: number };
  /** AMI reading: false for none (a replica that only applies events), or its timings. */
  ami?: false | Pick<AmiSupervisorDeps, 'scanMs' | 'leaseTtlMs' | 'maxSessions' | 'holder' | 'client' | 'onState' | 'onlyTenants'>;
  /** How long tenant settings are kept in memory (default 5 s). */
  settingsTtlMs?: number;
}

export interface RunningVoice {
  /** The AMI supervisor, when reading AMI. */
  ami?: AmiSupervisor;
  /** Stops reading PBXs (leases released), lets in-flight events finish, closes the HTTP listener. */
  close(): Promise<void>;
}

/**
 * The voice service (issue 8 item 3): applies call events of queue `voice.events` (from the gateway's webhook and from
 * its own AMI sessions) to call records and conversations, reads the AMI stream of every `asterisk_ami` channel,
 * one replica per channel by a lease in Redis, and places agents' click-to-calls (queue `voice.originate`).
 */
export async function startVoice(deps: VoiceDeps): Promise<RunningVoice> {
  const bus = createEventBus(deps.redis, deps.prefix);
  const producer = createProducer(deps.redis, deps.prefix);
  const settings = createTtlCache((tenantId) => getTenantSettings(deps.db, tenantId), deps.settingsTtlMs ?? 5000);
  const worker = startWorker('voice.events', callEventProcessor({ db: deps.db, bus, producer, logger: deps.logger, settings }), {
    connection: deps.redis,
    prefix: deps.prefix,
    logger: deps.logger,
    concurrency: deps.concurrency ?? 8,
    onOutcome: (queue, outcome) => deps.metrics.jobsTotal.inc({ queue, outcome }),
  });
  // Click-to-call (POST /v1/conversations/{id}/call): any replica that talks to PBXs places it, on an AMI connection
  // of its own; a replica told to read no PBX (ami: false) leaves the queue to the others.
  const originate =
    deps.ami === false
      ? undefined
      : startWorker('voice.originate', originateProcessor({ db: deps.db, bus, logger: deps.logger, secretBox: deps.secretBox, settings }), {
          connection: deps.redis,
          prefix: deps.prefix,
          logger: deps.logger,
          concurrency: 4,
          onOutcome: (queue, outcome) => deps.metrics.jobsTotal.inc({ queue, outcome }),
        });
  reportQueueDepths(deps.metrics, producer, ['voice.events', 'voice.originate']);
  const ami = deps.ami === false ? undefined : startAmiSupervisor({ ...deps, ...deps.ami, producer });
  const app = deps.http
    ? await startOpsServer({ ...deps.http, logger: deps.logger, metrics: deps.metrics, readiness: readinessChecks(deps.db, deps.redis) })
    : undefined;

  return {
    ...(ami && { ami }),
    async close() {
      await app?.close();
      await ami?.stop();
      await worker.close();
      await originate?.close();
      await producer.close();
    },
  };
}
