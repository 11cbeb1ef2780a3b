import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Worker } from 'bullmq';
import type { AttachmentStore } from '@sapa/attachments';
import type { DB, SecretBox } from '@sapa/db';
import { readinessChecks } from '@sapa/db';
import { createEventBus, createProducer, reportQueueDepths, type LeaseStore, type Producer, type Redis } from '@sapa/queue';
import { startOpsServer, type Logger, type Metrics } from '@sapa/service-kit';
import { startWhatsappOutbound } from './outbound/outbound-worker.js';
import type { SessionDeps } from './session/channel-session.js';
import { startSessionManager, type SessionManager } from './session/session-manager.js';
import type { ConnectSocket } from './socket/whatsapp-socket.js';

export interface WhatsappDeps {
  db: Kysely<DB>;
  /** BullMQ connection (maxRetriesPerRequest: null), also used for leases, seen-keys and events. */
  redis: Redis;
  prefix: string;
  secretBox: SecretBox;
  store: AttachmentStore;
  logger: Logger;
  metrics: Metrics;
  /** How sockets are opened: baileysConnector() in production, a fake in tests. */
  connect: ConnectSocket;
  /** This replica's name in lease values (default host, pid and a random suffix). */
  holderId?: string;
  leaseTtlMs?: number;
  scanIntervalMs?: number;
  renewIntervalMs?: number;
  maxSessions?: number;
  /** Hold only these tenants' numbers (tests share one database). */
  onlyTenants?: () => readonly string[];
  outboundConcurrency?: number;
  /** Base of the outbound retry backoff (tests). */
  backoffDelayMs?: number;
  /** Reconnect delay per attempt (tests). */
  reconnectDelayMs?: (attempt: number) => number;
  /** Where /healthz, /readyz and /metrics listen; omit to serve no HTTP (tests). */
  http?: { host: string; port: number };
}

export interface RunningWhatsapp {
  sessions: SessionManager;
  leases: LeaseStore;
  producer: Producer;
  /** Stops taking jobs, ends every session and releases its lease (another replica takes the numbers at once). */
  close(): Promise<void>;
}

/** Starts the WhatsApp (Baileys) service: the session manager with its leases, the outbound worker, the ops endpoints. */
export async function startWhatsapp(deps: WhatsappDeps): Promise<RunningWhatsapp> {
  const producer = createProducer(deps.redis, deps.prefix);
  const eventBus = createEventBus(deps.redis, deps.prefix);
  const session: Omit<SessionDeps, 'leases'> = {
    auth: { db: deps.db, secretBox: deps.secretBox },
    status: { db: deps.db, secretBox: deps.secretBox, eventBus, logger: deps.logger },
    inbound: {
      db: deps.db,
      store: deps.store,
      logger: deps.logger,
      accept: { redis: deps.redis, prefix: deps.prefix, producer, logger: deps.logger, enqueueTimeoutMs: 5000 },
    },
    receipts: { db: deps.db, eventBus, logger: deps.logger },
    connect: deps.connect,
    logger: deps.logger,
    ...(deps.reconnectDelayMs && { reconnectDelayMs: deps.reconnectDelayMs }),
  };
  const sessions = startSessionManager({
    db: deps.db,
    lease: {
      redis: deps.redis,
      prefix: deps.prefix,
      namespace: 'wa',
      holderId: deps.holderId ?? `${hostname()}.${process.pid}.${randomUUID().slice(0, 8)}`,
      ...(deps.leaseTtlMs !== undefined && { ttlMs: deps.leaseTtlMs }),
    },
    session,
    logger: deps.logger,
    scanIntervalMs: deps.scanIntervalMs ?? 2000,
    ...(deps.renewIntervalMs !== undefined && { renewIntervalMs: deps.renewIntervalMs }),
    ...(deps.maxSessions !== undefined && { maxSessions: deps.maxSessions }),
    ...(deps.onlyTenants && { onlyTenants: deps.onlyTenants }),
  });
  await sessions.scan();

  const outbound: Worker = startWhatsappOutbound({
    db: deps.db,
    redis: deps.redis,
    prefix: deps.prefix,
    store: deps.store,
    eventBus,
    logger: deps.logger,
    sessions,
    sendTimeoutMs: 30_000,
    onOutcome: (queue, outcome) => deps.metrics.jobsTotal.inc({ queue, outcome }),
    ...(deps.outboundConcurrency !== undefined && { concurrency: deps.outboundConcurrency }),
    ...(deps.backoffDelayMs !== undefined && { backoffDelayMs: deps.backoffDelayMs }),
  });
  reportQueueDepths(deps.metrics, producer, ['outbound.whatsapp_baileys']);

  const app = deps.http
    ? await startOpsServer({ ...deps.http, logger: deps.logger, metrics: deps.metrics, readiness: readinessChecks(deps.db, deps.redis) })
    : undefined;

  return {
    sessions,
    leases: sessions.leases,
    producer,
    async close() {
      await app?.close();
      await outbound.close();
      await sessions.close();
      await producer.close();
    },
  };
}
