import type { StoredEmailConfig } from '@sapa/contracts';

/** One `email` channel as a mailbox watcher needs it: its row's ids and its config with the IMAP password opened. */
export interface MailboxChannel {
  tenantId: string;
  channelId: string;
  createdAt: Date;
  config: StoredEmailConfig;
  imapPass: string;
}
