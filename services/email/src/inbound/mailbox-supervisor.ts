import { randomUUID } from 'node:crypto';
import type { StoredEmailConfig } from '@sapa/contracts';
import type { SecretBox } from '@sapa/db';
import { listWatchedEmailChannels } from '@sapa/db/queries/email';
import { createSessionSupervisor, type Redis } from '@sapa/queue';
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
  /** Most mailboxes this replica watches, whatever its fair share; no limit when absent. */
  maxMailboxes?: number;
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

type EmailChannelRow = Awaited<ReturnType<typeof listWatchedEmailChannels>>[number];

/**
 * Spreads mailboxes fairly over replicas through the shared session supervisor (@sapa/queue's
 * createSessionSupervisor): one lease per mailbox, renewed every third of its life; a lease lost (this replica stalled
 * past its TTL and another took over) stops its watcher at once, so a mailbox has one IDLE connection.
 */
export function startMailboxSupervisor(deps: SupervisorDeps): MailboxSupervisor {
  const supervisor = createSessionSupervisor<EmailChannelRow, MailboxWatcher>({
    name: 'mailbox',
    // One IDLE connection per mailbox across all replicas (ARCHITECTURE.md §Scaling): `<prefix>:email:lease:<channelId>`.
    lease: { redis: deps.redis, prefix: deps.prefix, namespace: 'email', holderId: `email-${randomUUID()}`, ttlMs: deps.leaseMs ?? 15_000 },
    logger: deps.logger,
    list: async () => (await listWatchedEmailChannels(deps.db, deps.onlyTenants?.())).map((row) => ({ key: row.id, item: row })),
    start: async ({ item }) => {
      const channel = mailboxChannelOf(item, deps);
      return channel && watchMailbox(deps, channel);
    },
    stop: (watcher) => watcher.stop(),
    scanIntervalMs: deps.scanMs ?? 5000,
    ...(deps.maxMailboxes !== undefined && { maxSessions: deps.maxMailboxes }),
  });
  return { watching: supervisor.held, scan: supervisor.scan, stop: supervisor.close };
}

/** The mailbox as its watcher needs it; undefined (logged) when its secrets cannot be opened. */
function mailboxChannelOf(row: EmailChannelRow, deps: SupervisorDeps): MailboxChannel | undefined {
  try {
    const secrets = row.secrets_enc ? deps.secretBox.open<{ imapPass?: string }>(row.secrets_enc) : {};
    return { tenantId: row.tenant_id, channelId: row.id, createdAt: row.created_at, config: row.config as unknown as StoredEmailConfig, imapPass: secrets.imapPass ?? '' };
  } catch (err) {
    deps.logger.error({ err, tenantId: row.tenant_id, channelId: row.id }, 'email channel secrets cannot be opened; not watching it');
    return undefined;
  }
}
