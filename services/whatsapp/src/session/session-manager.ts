import type { Db } from '@sapa/db/queries/db-handle';
import { claimWhatsappSession, listWhatsappChannelsToRun, type WhatsappChannelToRun } from '@sapa/db/queries/whatsapp-sessions';
import type { LeaseStore } from '@sapa/queue';
import type { Logger } from '@sapa/service-kit';
import { ChannelSession, type SessionDeps, type StopReason } from './channel-session.js';

export interface ManagerOptions {
  db: Db;
  leases: LeaseStore;
  session: SessionDeps;
  logger: Logger;
  /** How often channels are scanned for numbers no replica holds (default 2 s). */
  scanIntervalMs?: number;
  /** How often held leases are renewed (default 3 s, a third of the 10 s lease). */
  renewIntervalMs?: number;
  /** Most numbers this replica holds (default unlimited): leaves the rest to other replicas. */
  maxSessions?: number;
  /** Hold only these tenants' numbers (tests share one database); all when absent. */
  onlyTenants?: () => readonly string[];
}

export interface SessionManager {
  /** The session of a number this replica holds, for the outbound worker. */
  sessionOf(channelId: string): ChannelSession | undefined;
  /** One scan now (start-up, tests): takes free numbers, lets go of removed ones. */
  scan(): Promise<void>;
  /** One renewal round now (tests): drops the numbers whose lease was lost. */
  renew(): Promise<void>;
  /** Stops every session and releases its lease, so another replica takes the numbers at once. */
  close(): Promise<void>;
}

/**
 * Spreads the tenants' WhatsApp numbers over the replicas: each scan tries to lease every number that should run
 * (status `pairing` or `active`) and that no replica holds; renewals keep the held ones. A replica that dies stops
 * renewing, its leases expire, and the next scan of another replica takes its numbers (within TTL + scan interval).
 */
export function startSessionManager(options: ManagerOptions): SessionManager {
  const sessions = new Map<string, ChannelSession>();
  const { leases, logger } = options;
  let closing = false;
  let scanning: Promise<void> = Promise.resolve();
  let renewing: Promise<void> = Promise.resolve();
  const releasing = new Set<Promise<void>>();

  const onStopped = (session: ChannelSession, reason: StopReason) => {
    if (sessions.get(session.channel.id) === session) sessions.delete(session.channel.id);
    // A lost or fenced lease belongs to someone else now: releasing it would free *their* lease if the value matched.
    if (reason !== 'lease_lost' && reason !== 'fenced_out') {
      const release = leases
        .release(session.lease)
        .catch((err: unknown) => logger.warn({ err, channelId: session.channel.id }, 'could not release a lease'))
        .finally(() => releasing.delete(release));
      releasing.add(release);
    }
  };

  const take = async (channel: WhatsappChannelToRun): Promise<void> => {
    const lease = await leases.acquire(channel.id);
    if (!lease) return;
    const claim = await claimWhatsappSession(options.db, channel.tenant_id, channel.id, lease.token);
    if (!claim.ok) {
      // Postgres has seen a higher token than Redis hands out (Redis lost its counter): lift the counter and retry later.
      logger.warn({ channelId: channel.id, token: lease.token, fence: claim.fence }, 'lease token below the stored fence; raising the counter');
      await leases.raiseFloor(channel.id, Number(claim.fence));
      await leases.release(lease);
      return;
    }
    const phone = typeof channel.config.phoneNumber === 'string' ? channel.config.phoneNumber.replace(/^\+/, '') : undefined;
    const session = new ChannelSession(options.session, { id: channel.id, tenantId: channel.tenant_id, ...(phone && { phoneNumber: phone }) }, lease, onStopped);
    sessions.set(channel.id, session);
    logger.info({ tenantId: channel.tenant_id, channelId: channel.id, fence: lease.token }, 'WhatsApp number taken');
    try {
      await session.start();
    } catch (err) {
      logger.error({ err, channelId: channel.id }, 'WhatsApp session did not start');
      session.stop('shutdown');
    }
  };

  const scanOnce = async (): Promise<void> => {
    const wanted = await listWhatsappChannelsToRun(options.db, options.onlyTenants?.());
    const wantedIds = new Set(wanted.map((c) => c.id));
    for (const [id, session] of sessions) if (!wantedIds.has(id)) session.stop('removed');
    for (const channel of wanted) {
      if (closing) return;
      if (sessions.has(channel.id)) continue;
      if (options.maxSessions !== undefined && sessions.size >= options.maxSessions) return;
      await take(channel);
    }
  };

  const renewOnce = async (): Promise<void> => {
    for (const session of [...sessions.values()]) {
      const kept = await leases.renew(session.lease).catch(() => false);
      if (!kept) session.stop('lease_lost');
    }
  };

  const scan = () => (scanning = scanning.then(scanOnce).catch((err: unknown) => logger.error({ err }, 'WhatsApp channel scan failed')));
  const renew = () => (renewing = renewing.then(renewOnce).catch((err: unknown) => logger.error({ err }, 'WhatsApp lease renewal failed')));
  const scanTimer = setInterval(() => void scan(), options.scanIntervalMs ?? 2000);
  const renewTimer = setInterval(() => void renew(), options.renewIntervalMs ?? 3000);
  scanTimer.unref();
  renewTimer.unref();

  return {
    sessionOf: (channelId) => sessions.get(channelId),
    scan,
    renew,
    async close() {
      closing = true;
      clearInterval(scanTimer);
      clearInterval(renewTimer);
      await Promise.all([scanning, renewing]);
      const held = [...sessions.values()];
      for (const session of held) session.stop('shutdown');
      await Promise.all(held.map((s) => s.settled()));
      await Promise.all([...releasing]);
    },
  };
}
