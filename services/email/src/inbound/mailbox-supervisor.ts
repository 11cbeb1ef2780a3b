import { randomUUID } from 'node:crypto';
import type { StoredEmailConfig } from '@sapa/contracts';
import type { SecretBox } from '@sapa/db';
import { listWatchedEmailChannels } from '@sapa/db/queries/email';
import { createLeaseStore, type Lease, type Redis } from '@sapa/queue';
import type { MailboxChannel } from './mailbox-context.js';
import { watchMailbox, type MailboxWatcher, type WatcherDeps } from './mailbox-watcher.js';

export interface SupervisorDeps extends WatcherDeps {
  redis: Redis;
  prefix: string;
  secretBox: SecretBox;
  /** How long a lease lives unrenewed (default 15 s): a dead replica's mailboxes move within this plus one scan. */
  leaseMs?: number;
  /** How often channels are listed and free mailboxes taken (default 5 s). */
  scanMs?: number;
  /** Watch only these tenants' channels (tests share one database); all when absent. */
  onlyTenants?: () => readonly string[];
}

export interface MailboxSupervisor {
  /** Channel ids this replica watches now. */
  watching(): string[];
  /** One scan now (also runs on its timer). */
  scan(): Promise<void>;
  /** Stops every watcher and gives their leases back. */
  stop(): Promise<void>;
}

interface Held {
  lease: Lease;
  watcher: MailboxWatcher;
}

/**
 * Spreads mailboxes over replicas by leases in Redis: each scan takes the lease of every email channel nobody
 * holds and watches it; the leases held are renewed every third of their life, and a lease lost (this replica
 * stalled past its TTL and another took over) stops its watcher at once, so a mailbox has one IDLE connection.
 */
export function startMailboxSupervisor(deps: SupervisorDeps): MailboxSupervisor {
  const leaseMs = deps.leaseMs ?? 15_000;
  // One IDLE connection per mailbox across all replicas (ARCHITECTURE.md §Scaling): `<prefix>:email:lease:<channelId>`.
  const leases = createLeaseStore({ redis: deps.redis, prefix: deps.prefix, namespace: 'email', holderId: `email-${randomUUID()}`, ttlMs: leaseMs });
  const held = new Map<string, Held>();
  let stopping = false;
  let scanning: Promise<void> = Promise.resolve();
  let renewing: Promise<void> = Promise.resolve();

  const drop = async (channelId: string, release: boolean): Promise<void> => {
    const h = held.get(channelId);
    if (!h) return;
    held.delete(channelId);
    await h.watcher.stop();
    if (release) await leases.release(h.lease);
  };

  const scanOnce = async (): Promise<void> => {
    const rows = await listWatchedEmailChannels(deps.db, deps.onlyTenants?.());
    const wanted = new Set(rows.map((r) => r.id));
    for (const id of [...held.keys()]) if (!wanted.has(id)) await drop(id, true);
    for (const row of rows) {
      if (stopping || held.has(row.id)) continue;
      const lease = await leases.acquire(row.id);
      if (!lease) continue;
      let channel: MailboxChannel;
      try {
        const secrets = row.secrets_enc ? deps.secretBox.open<{ imapPass?: string }>(row.secrets_enc) : {};
        channel = { tenantId: row.tenant_id, channelId: row.id, createdAt: row.created_at, config: row.config as unknown as StoredEmailConfig, imapPass: secrets.imapPass ?? '' };
      } catch (err) {
        deps.logger.error({ err, tenantId: row.tenant_id, channelId: row.id }, 'email channel secrets cannot be opened; not watching it');
        await leases.release(lease);
        continue;
      }
      held.set(row.id, { lease, watcher: watchMailbox(deps, channel) });
      deps.logger.info({ tenantId: row.tenant_id, channelId: row.id }, 'mailbox lease taken');
    }
  };

  const renewAll = async (): Promise<void> => {
    for (const [channelId, h] of [...held]) {
      if (await leases.renew(h.lease).catch(() => false)) continue;
      deps.logger.warn({ channelId }, 'mailbox lease lost; stopping its watcher');
      await drop(channelId, false);
    }
  };

  const scan = (): Promise<void> => {
    scanning = scanning.then(scanOnce).catch((err: unknown) => deps.logger.error({ err }, 'mailbox scan failed'));
    return scanning;
  };
  const scanTimer = setInterval(() => void scan(), deps.scanMs ?? 5000);
  const renewTimer = setInterval(() => {
    // Its own chain: a slow scan must not starve renewals past the lease's life.
    renewing = renewing.then(renewAll).catch((err: unknown) => deps.logger.error({ err }, 'lease renewal failed'));
  }, Math.max(100, Math.floor(leaseMs / 3)));
  scanTimer.unref();
  renewTimer.unref();
  void scan();

  return {
    watching: () => [...held.keys()],
    scan,
    async stop() {
      stopping = true;
      clearInterval(scanTimer);
      clearInterval(renewTimer);
      await scanning;
      await renewing;
      await Promise.all([...held.keys()].map((id) => drop(id, true)));
    },
  };
}
