import type { ColumnType, Generated } from 'kysely';
import type { GeneratedTimestamp, Json, Timestamp } from '../schema.js';

/** A bigint column: pg reads it as a string; written as a number or a string. */
type BigIntColumn = ColumnType<string, number | string, number | string>;

/**
 * Where the email service stands in one mailbox (an `email` channel): the folder's UIDVALIDITY and the highest UID
 * whose mail is durably enqueued (or quarantined, or recognised as a bounce). Moved only forward, after the enqueue.
 */
export interface EmailMailboxesTable {
  channel_id: string;
  tenant_id: string;
  mailbox: string;
  uid_validity: BigIntColumn;
  last_uid: BigIntColumn;
  /** How many times the server changed UIDVALIDITY under us (each one a rescan deduplicated on Message-ID). */
  resyncs: Generated<number>;
  updated_at: GeneratedTimestamp;
}

/** An attachment the email service would not keep (too large, a refused type): the mail itself was still taken. */
export interface RefusedEmailAttachment {
  filename?: string;
  contentType: string;
  size: number;
  /** `attachment_too_large` or `attachment_type_refused` (@sapa/attachments). */
  code: string;
}

/** What a delivery status notification said about one of our replies. */
export interface EmailBounce {
  action: string;
  status?: string;
  diagnostic?: string;
  recipient?: string;
  /** The Message-ID of the DSN itself. */
  reportMessageId: string;
  at: string;
}

/**
 * Every mail of an `email` channel, both ways, by its Message-ID: the threading headers and subject that replies
 * need, the sanitised HTML agents read (messages.text holds the text version), refused attachments and bounces.
 * An inbound mail's Sapa message is `messages (channel_id, external_id = rfc_message_id)`; an outbound one names it.
 */
export interface EmailMessagesTable {
  id: Generated<string>;
  tenant_id: string;
  channel_id: string;
  /** `<local@domain>` as in the header (or one Sapa made for a mail without any). */
  rfc_message_id: string;
  direction: 'in' | 'out';
  /** The Sapa message of an outbound mail; null for inbound (found by external id). */
  message_id: string | null;
  subject: string | null;
  in_reply_to: string | null;
  references: ColumnType<string[], string[] | undefined, string[]>;
  from_address: string | null;
  to_addresses: ColumnType<string[], string[] | undefined, string[]>;
  cc_addresses: ColumnType<string[], string[] | undefined, string[]>;
  /** Sanitised (sanitize-html) for agents; null for a text-only mail. */
  html: string | null;
  /** Stored attachments (contract `Attachment`), kept so a refetch after a crash reuses them. */
  attachments: Json<Array<{ url: string; contentType: string; filename?: string; id?: string; size?: number }>>;
  refused_attachments: Json<RefusedEmailAttachment[]>;
  bounce: Json<EmailBounce | null>;
  /** Where it was read (inbound): UIDVALIDITY and UID. */
  uid_validity: BigIntColumn | null;
  uid: BigIntColumn | null;
  created_at: GeneratedTimestamp;
  bounced_at: Timestamp | null;
}

/** Tables of the email channel (issue 8 item 1): mailbox checkpoints, message threading ids, bounces. Part of `DB` in ../schema.ts. */
export interface EmailSchema {
  email_mailboxes: EmailMailboxesTable;
  email_messages: EmailMessagesTable;
}
