import { findChannel } from '@sapa/db/queries/channels';
import type { Db } from '@sapa/db/queries/db-handle';
import { claimWhatsappSession, listWhatsappChannelsToRun, type WhatsappChannelToRun } from '@sapa/db/queries/whatsapp-sessions';
import { createSessionSupervisor, type Lease, type LeaseOptions, type LeaseStore, type SessionEnd, type SupervisorStop } from '@sapa/queue';
import type { Logger } from '@sapa/service-kit';
import { ChannelSession, type SessionDeps, type StopReason } from './channel-session.js';

export interface ManagerOptions {
  db: Db;
  /** The numbers' leases (namespace `wa`): Redis, prefix, this replica's holder id, TTL. */
  lease: LeaseOptions;
  /** What every session needs, but its lease store: the manager's own. */
  session: Omit<SessionDeps, 'leases'>;
  logger: Logger;
  /** How often channels are scanned for numbers to take or give up (default 2 s). */
  scanIntervalMs?: number;
  /** How often held leases are renewed (default a third of the lease). */
  renewIntervalMs?: number;
  /** Most numbers this replica holds (default unlimited): leaves the rest to other replicas. */
  maxSessions?: number;
  /** Hold only these tenants' numbers (tests share one database); all when absent. */
  onlyTenants?: () => readonly string[];
}

export interface SessionManager {
  /** The leases of the numbers this replica holds. */
  readonly leases: LeaseStore;
  /** The session of a number this replica holds, for the outbound worker. */
  sessionOf(channelId: string): ChannelSession | undefined;
  /** One scan now (start-up, tests): takes free numbers, lets go of removed ones, shares them with other replicas. */
  scan(): Promise<void>;
  /** One renewal round now (tests): drops the numbers whose lease was lost. */
  renew(): Promise<void>;
  /** Stops every session and releases its lease, so another replica takes the numbers at once. */
  close(): Promise<void>;
}

/** The session's words for why the supervisor stops it. */
const STOP_REASONS: Record<SupervisorStop, StopReason> = {
  removed: 'removed',
  changed: 'removed',
  handed_over: 'handed_over',
  lease_lost: 'lease_lost',
  shutdown: 'shutdown',
};

/**
 * Spreads the tenants' WhatsApp numbers fairly over the replicas through the shared session supervisor (@sapa/queue's
 * createSessionSupervisor): every number that should run (status `pairing` or `active`) is held by one replica under
 * a fenced lease, claimed in Postgres too so a stale holder's writes are refused. A replica that dies stops renewing,
 * its leases expire, and the others take its numbers (within TTL + scan interval).
 */
export function startSessionManager(options: ManagerOptions): SessionManager {
  const { db, logger } = options;

  const start = async (channel: WhatsappChannelToRun, lease: Lease, ended: (how: SessionEnd) => void): Promise<ChannelSession | undefined> => {
    const claim = await claimWhatsappSession(db, channel.tenant_id, channel.id, lease.token);
    if (!claim.ok) {
      // Postgres has seen a higher token than Redis hands out (Redis lost its counter): lift the counter and retry later.
      logger.warn({ channelId: channel.id, token: lease.token, fence: claim.fence }, 'lease token below the stored fence; raising the counter');
      await supervisor.leases.raiseFloor(channel.id, Number(claim.fence));
      return undefined;
    }
    const phone = typeof channel.config.phoneNumber === 'string' ? channel.config.phoneNumber.replace(/^\+/, '') : undefined;
    const session = new ChannelSession(
      { ...options.session, leases: supervisor.leases },
      { id: channel.id, tenantId: channel.tenant_id, ...(phone && { phoneNumber: phone }) },
      lease,
      // A lost or fenced lease belongs to someone else now: releasing it would free *their* lease if the value matched.
      (_session, reason) => ended(reason === 'lease_lost' || reason === 'fenced_out' ? 'lost' : 'release'),
    );
    try {
      await session.start();
    } catch (err) {
      session.stop('shutdown');
      throw err;
    }
    return session;
  };

  const stop = async (session: ChannelSession, why: SupervisorStop): Promise<void> => {
    if (why === 'removed' && (await unlinkedByAdmin(db, session))) await session.unlink();
    else session.stop(STOP_REASONS[why]);
    await session.settled();
  };

  const supervisor = createSessionSupervisor<WhatsappChannelToRun, ChannelSession>({
    name: 'WhatsApp number',
    lease: options.lease,
    logger,
    list: async () => (await listWhatsappChannelsToRun(db, options.onlyTenants?.())).map((channel) => ({ key: channel.id, item: channel })),
    start: (wanted, lease, ended) => start(wanted.item, lease, ended),
    stop,
    scanIntervalMs: options.scanIntervalMs ?? 2000,
    ...(options.renewIntervalMs !== undefined && { renewIntervalMs: options.renewIntervalMs }),
    ...(options.maxSessions !== undefined && { maxSessions: options.maxSessions }),
  });

  return { leases: supervisor.leases, sessionOf: supervisor.sessionOf, scan: supervisor.scan, renew: supervisor.renew, close: supervisor.close };
}

/**
 * Whether the number was unlinked rather than merely disabled: `DELETE /v1/channels/{id}/pairing` turns a running
 * number `disconnected`, and nothing else does while a session runs (a logout on the phone ends the session first).
 * The holder then logs the device out, which only the holder can do: it has the open connection.
 */
async function unlinkedByAdmin(db: Db, session: ChannelSession): Promise<boolean> {
  const channel = await findChannel(db, session.channel.tenantId, session.channel.id);
  return channel?.status === 'disconnected';
}
