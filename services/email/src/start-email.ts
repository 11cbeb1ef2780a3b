import type { Kysely } from 'kysely';
import type { AttachmentStore } from '@sapa/attachments';
import { readinessChecks, type DB, type SecretBox } from '@sapa/db';
import { getTenantSettings } from '@sapa/db/queries/tenant-settings';
import { createEventBus, createProducer, type Redis } from '@sapa/queue';
import { createTtlCache, startOpsServer, type Logger, type Metrics } from '@sapa/service-kit';
import { startOutboundWorkers } from '@sapa/gateway';
import { startMailboxSupervisor, type MailboxSupervisor } from './inbound/mailbox-supervisor.js';
import type { TakeOutcome } from './inbound/take-mail.js';
import { smtpSender } from './outbound/smtp-sender.js';

export interface EmailDeps {
  db: Kysely<DB>;
  /** BullMQ connection (maxRetriesPerRequest: null); also holds the mailbox leases. */
  redis: Redis;
  prefix: string;
  secretBox: SecretBox;
  store: AttachmentStore;
  logger: Logger;
  metrics?: Metrics;
  /** Where /healthz, /readyz and /metrics listen; omit to serve no HTTP (tests). */
  http?: { host: string; port: number };
  leaseMs?: number;
  scanMs?: number;
  /** Most mailboxes this replica watches (EMAIL_MAX_MAILBOXES); no limit when absent. */
  maxMailboxes?: number;
  reconnectMs?: number;
  maxReconnectMs?: number;
  sendConcurrency?: number;
  sendTimeoutMs?: number;
  backoffDelayMs?: number;
  /** Watch only these tenants' mailboxes (tests share one database). */
  onlyTenants?: () => readonly string[];
  onMail?: (event: { channelId: string; uid: number; outcome: TakeOutcome }) => void;
}

export interface RunningEmail {
  supervisor: MailboxSupervisor;
  /** Stops watching mailboxes (leases given back) and sending, after the work in hand; connections stay the caller's. */
  close(): Promise<void>;
}

/** Starts the mailbox supervisor (IMAP IDLE per leased mailbox), the `outbound.email` worker and the ops endpoints. */
export async function startEmail(deps: EmailDeps): Promise<RunningEmail> {
  const eventBus = createEventBus(deps.redis, deps.prefix);
  const producer = createProducer(deps.redis, deps.prefix);
  const settings = createTtlCache((tenantId) => getTenantSettings(deps.db, tenantId), 5000);
  const common = { db: deps.db, eventBus, logger: deps.logger, store: deps.store };

  const supervisor = startMailboxSupervisor({
    ...common,
    producer,
    redis: deps.redis,
    prefix: deps.prefix,
    secretBox: deps.secretBox,
    localeOf: async (tenantId) => (await settings.get(tenantId)).locale,
    ...(deps.leaseMs !== undefined && { leaseMs: deps.leaseMs }),
    ...(deps.scanMs !== undefined && { scanMs: deps.scanMs }),
    ...(deps.maxMailboxes !== undefined && { maxMailboxes: deps.maxMailboxes }),
    ...(deps.reconnectMs !== undefined && { reconnectMs: deps.reconnectMs }),
    ...(deps.maxReconnectMs !== undefined && { maxReconnectMs: deps.maxReconnectMs }),
    ...(deps.onlyTenants && { onlyTenants: deps.onlyTenants }),
    ...(deps.onMail && { onMail: deps.onMail }),
  });
  // The gateway's delivery model (pending only, retries, dead letters, message.updated) with the SMTP sender.
  const outbound = startOutboundWorkers({
    ...common,
    redis: deps.redis,
    prefix: deps.prefix,
    secretBox: deps.secretBox,
    queues: ['outbound.email'],
    sender: smtpSender({ db: deps.db, store: deps.store, settingsOf: (tenantId) => settings.get(tenantId) }),
    sendTimeoutMs: deps.sendTimeoutMs ?? 30_000,
    concurrency: deps.sendConcurrency ?? 8,
    ...(deps.metrics && { onOutcome: (queue, outcome) => deps.metrics!.jobsTotal.inc({ queue, outcome }) }),
    ...(deps.backoffDelayMs !== undefined && { backoffDelayMs: deps.backoffDelayMs }),
  });
  const app =
    deps.http && deps.metrics
      ? await startOpsServer({ ...deps.http, logger: deps.logger, metrics: deps.metrics, readiness: readinessChecks(deps.db, deps.redis) })
      : undefined;

  return {
    supervisor,
    async close() {
      await supervisor.stop();
      await Promise.all(outbound.map((w) => w.close()));
      await producer.close();
      await app?.close();
    },
  };
}
