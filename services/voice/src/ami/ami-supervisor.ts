import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, SecretBox } from '@sapa/db';
import { listAmiChannels } from '@sapa/db/queries/voice-calls';
import { createSessionSupervisor, type Redis, type WantedKey } from '@sapa/queue';
import type { Logger } from '@sapa/service-kit';
import { openAmiChannel } from './open-ami-channel.js';
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
  /** Most channels this replica reads, whatever its fair share (VOICE_AMI_MAX_SESSIONS); no limit when absent. */
  maxSessions?: number;
  /** This replica's name in the leases (default a random id). */
  holder?: string;
  /** Read only these tenants' channels (tests share one database); all when absent. */
  onlyTenants?: () => readonly string[];
}

export interface AmiSupervisor {
  /** One pass now: take free channels, drop those gone or changed, share them with the other replicas. */
  scan(): Promise<void>;
  /** Channel ids this replica reads now. */
  held(): string[];
  stop(): Promise<void>;
}

/**
 * Keeps one AMI session per `asterisk_ami` voice channel across all replicas, shared fairly between them, through the
 * shared session supervisor (@sapa/queue's createSessionSupervisor: leases, renewals, rebalancing). A channel that was
 * deleted, disabled or reconfigured has its session stopped (and restarted with the new settings on the next pass).
 */
export function startAmiSupervisor(deps: AmiSupervisorDeps): AmiSupervisor {
  const scanMs = deps.scanMs ?? 5000;
  const supervisor = createSessionSupervisor<AmiChannel, AmiSession>({
    name: 'AMI channel',
    lease: { redis: deps.redis, prefix: deps.prefix, namespace: 'voice', holderId: deps.holder ?? `voice-${randomUUID()}`, ttlMs: deps.leaseTtlMs ?? scanMs * 3 },
    logger: deps.logger,
    list: async () => (await listAmiChannels(deps.db, deps.onlyTenants?.())).flatMap((row) => wantedChannel(row, deps.secretBox, deps.logger)),
    start: async ({ item }) => startAmiSession(item, deps),
    stop: (session) => session.stop(),
    scanIntervalMs: scanMs,
    renewIntervalMs: scanMs,
    ...(deps.maxSessions !== undefined && { maxSessions: deps.maxSessions }),
  });
  return { scan: supervisor.scan, held: supervisor.held, stop: supervisor.close };
}

type AmiChannelRow = { id: string; tenant_id: string; config: Record<string, unknown>; secrets_enc: string | null };

/** A listed channel with its settings as the version: a changed host, user or secret restarts the session. */
function wantedChannel(row: AmiChannelRow, secretBox: SecretBox, logger: Logger): WantedKey<AmiChannel>[] {
  const channel = amiChannelOf(row, secretBox, logger);
  return channel ? [{ key: row.id, item: channel, version: JSON.stringify({ ...channel, secret: row.secrets_enc }) }] : [];
}

/**
 * A channel row as the event session needs it (openAmiChannel, without click-to-call's settings, so a change of those
 * does not restart the session); a row missing its AMI settings or secret is logged and skipped.
 */
function amiChannelOf(row: AmiChannelRow, secretBox: SecretBox, logger: Logger): AmiChannel | undefined {
  const opened = openAmiChannel(row, secretBox);
  if (!opened) {
    logger.warn({ channelId: row.id, tenantId: row.tenant_id }, 'asterisk_ami channel without usable AMI settings; recreate it');
    return undefined;
  }
  const { originate: _originate, ...channel } = opened;
  return channel;
}
