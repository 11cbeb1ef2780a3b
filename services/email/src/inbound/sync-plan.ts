import type { MailboxCheckpoint } from '@sapa/db/queries/email';

/** What the server says of the open folder. */
export interface FolderState {
  uidValidity: number;
  uidNext: number;
}

export type SyncPlan =
  /** Same folder as before: every UID above the checkpoint, in order. */
  | { kind: 'continue'; afterUid: number }
  /**
   * No checkpoint yet, or the server renumbered the folder (UIDVALIDITY changed, so every stored UID means nothing):
   * rescan the mails the server dates from `since` on. Mails read before are recognised by Message-ID and not
   * enqueued twice; the checkpoint then restarts under the new UIDVALIDITY.
   */
  | { kind: 'rescan'; since: Date; reason: 'first_sync' | 'uidvalidity_changed' };

const DAY_MS = 24 * 3600 * 1000;

/**
 * How to catch up with a folder (issue 8 item 1: after a restart or a dropped connection no mail is fetched twice
 * and none is missed). A first sync takes what arrived since the channel was created (IMAP SINCE is by day, so the
 * rest of that day comes too; older mail is the mailbox's history, not Sapa's work). A UIDVALIDITY change rescans
 * from a day before the checkpoint last moved: that covers every mail that could have arrived since.
 */
export function planSync(checkpoint: MailboxCheckpoint | undefined, folder: FolderState, channelCreatedAt: Date): SyncPlan {
  if (!checkpoint) return { kind: 'rescan', since: startOfDay(channelCreatedAt), reason: 'first_sync' };
  if (checkpoint.uidValidity !== folder.uidValidity) {
    return { kind: 'rescan', since: startOfDay(new Date(checkpoint.updatedAt.getTime() - DAY_MS)), reason: 'uidvalidity_changed' };
  }
  return { kind: 'continue', afterUid: checkpoint.lastUid };
}

function startOfDay(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}
