import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, SecretBox } from '@sapa/db';
import { listAmiChannels } from '@sapa/db/queries/voice-calls';
import { createLeaseStore, type Lease, type Redis } from '@sapa/queue';
import type { Logger } from '@sapa/service-kit';
import { startAmiSession, type AmiChannel, type AmiSession, type AmiSessionDeps } from './ami-session.js';

export interface AmiSupervisorDeps extends AmiSessionDeps {
  db: Kysely<DB>;
  redis: Redis;
  prefix: string;
  secretBox: SecretBox;
  /** How often channels are listed and leases renewed (default 5 s). */
  scanMs?: number;
  /** How long a lease lives unrenewed (default 3 × scanMs): a dead replica's channels move after it. */
  leaseTtlMs?: number;
  /** This replica's name in the leases (default a random id). */
  holder?: string;
  /** Read only these tenants' channels (tests share one database); all when absent. */
  onlyTenants?: () => readonly string[];
}

export interface AmiSupervisor {
  /** One pass now: take free channels, renew held ones, drop those gone or changed. */
  scan(): Promise<void>;
  /** Channel ids this replica reads now. */
  held(): string[];
  stop(): Promise<void>;
}

interface Held {
  lease: Lease;
  session: AmiSession;
  /** The channel's settings when the session started: a change restarts it. */
  fingerprint: string;
}

/**
 * Keeps one AMI session per `asterisk_ami` voice channel across all replicas: each pass lists the channels, renews
 * the leases this replica holds (a lapsed one stops its session: another replica took it), and takes any channel no
 * replica holds. A channel that was deleted, disabled or reconfigured has its session stopped (and restarted with the
 * new settings on the next pass).
 */
export function startAmiSupervisor(deps: AmiSupervisorDeps): AmiSupervisor {
  const scanMs = deps.scanMs ?? 5000;
  const ttlMs = deps.leaseTtlMs ?? scanMs * 3;
  const holder = deps.holder ?? `voice-${randomUUID()}`;
  const leases = createLeaseStore({ redis: deps.redis, prefix: deps.prefix, namespace: 'voice', holderId: holder, ttlMs });
  const held = new Map<string, Held>();
  let running: Promise<void> | undefined;
  let stopped = false;

  async function drop(channelId: string, why: string): Promise<void> {
    const h = held.get(channelId);
    if (!h) return;
    held.delete(channelId);
    deps.logger.info({ channelId, why }, 'AMI session stopped');
    await h.session.stop();
    await leases.release(h.lease).catch(() => undefined);
  }

  async function pass(): Promise<void> {
    const rows = await listAmiChannels(deps.db, deps.onlyTenants?.());
    const wanted = new Map<string, { channel: AmiChannel; fingerprint: string }>();
    for (const row of rows) {
      const channel = amiChannelOf(row, deps.secretBox, deps.logger);
      if (channel) wanted.set(row.id, { channel, fingerprint: JSON.stringify({ ...channel, secret: row.secrets_enc }) });
    }
    for (const [channelId, h] of [...held]) {
      const want = wanted.get(channelId);
      if (!want) await drop(channelId, 'channel gone');
      else if (want.fingerprint !== h.fingerprint) await drop(channelId, 'channel changed');
      else if (!(await leases.renew(h.lease))) await drop(channelId, 'lease lost');
    }
    for (const [channelId, want] of wanted) {
      if (held.has(channelId) || stopped) continue;
      const lease = await leases.acquire(channelId);
      if (!lease) continue;
      deps.logger.info({ channelId, tenantId: want.channel.tenantId }, 'AMI session started');
      held.set(channelId, { lease, fingerprint: want.fingerprint, session: startAmiSession(want.channel, deps) });
    }
  }

  const scan = () => {
    running ??= pass()
      .catch((err: unknown) => deps.logger.error({ err }, 'AMI channel scan failed'))
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => void scan(), scanMs);
  void scan();

  return {
    scan,
    held: () => [...held.keys()],
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      await Promise.all([...held.keys()].map((id) => drop(id, 'shutdown')));
    },
  };
}

/** A channel row as the session needs it; a row missing its AMI settings or secret is logged and skipped. */
function amiChannelOf(
  row: { id: string; tenant_id: string; config: Record<string, unknown>; secrets_enc: string | null },
  secretBox: SecretBox,
  logger: Logger,
): AmiChannel | undefined {
  const ami = row.config.ami as { host?: unknown; port?: unknown; user?: unknown; recordingBaseUrl?: unknown } | undefined;
  let secret: unknown;
  try {
    secret = row.secrets_enc ? secretBox.open<Record<string, unknown>>(row.secrets_enc).amiSecret : undefined;
  } catch {
    secret = undefined;
  }
  if (!ami || typeof ami.host !== 'string' || typeof ami.port !== 'number' || typeof ami.user !== 'string' || typeof secret !== 'string') {
    logger.warn({ channelId: row.id, tenantId: row.tenant_id }, 'asterisk_ami channel without usable AMI settings; recreate it');
    return undefined;
  }
  return {
    tenantId: row.tenant_id,
    channelId: row.id,
    host: ami.host,
    port: ami.port,
    user: ami.user,
    secret,
    ...(typeof ami.recordingBaseUrl === 'string' && { recordingBaseUrl: ami.recordingBaseUrl }),
  };
}
