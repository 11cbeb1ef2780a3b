import { sql } from 'kysely';
import type { EmailBounce, EmailMessagesTable, RefusedEmailAttachment } from '../schemas/email.js';
import type { Db } from './db-handle.js';
import { withinTenants } from './tenant-scan.js';

export type { EmailBounce, RefusedEmailAttachment } from '../schemas/email.js';

/**
 * The email channel's records (schemas/email.ts): where each mailbox stands, and every mail by its Message-ID.
 * Each function takes the tenant first; the email service is the only writer.
 */

export interface MailboxCheckpoint {
  mailbox: string;
  uidValidity: number;
  lastUid: number;
  updatedAt: Date;
}

/** Where the service stands in a channel's mailbox; undefined before its first sync. */
export async function loadMailboxCheckpoint(db: Db, tenantId: string, channelId: string): Promise<MailboxCheckpoint | undefined> {
  const row = await db
    .selectFrom('email_mailboxes')
    .select(['mailbox', 'uid_validity', 'last_uid', 'updated_at'])
    .where('tenant_id', '=', tenantId)
    .where('channel_id', '=', channelId)
    .executeTakeFirst();
  return row && { mailbox: row.mailbox, uidValidity: Number(row.uid_validity), lastUid: Number(row.last_uid), updatedAt: row.updated_at };
}

/**
 * Moves a mailbox's checkpoint. Within one UIDVALIDITY it only goes forward (a lease holder that lost its lease
 * and wrote late cannot move it back); a new UIDVALIDITY replaces it and counts a resync.
 */
export async function saveMailboxCheckpoint(
  db: Db,
  tenantId: string,
  channelId: string,
  at: { mailbox: string; uidValidity: number; lastUid: number },
): Promise<void> {
  await db
    .insertInto('email_mailboxes')
    .values({ channel_id: channelId, tenant_id: tenantId, mailbox: at.mailbox, uid_validity: at.uidValidity, last_uid: at.lastUid })
    .onConflict((oc) =>
      oc.column('channel_id').doUpdateSet({
        mailbox: at.mailbox,
        last_uid: sql`CASE WHEN email_mailboxes.uid_validity = excluded.uid_validity
                           THEN greatest(email_mailboxes.last_uid, excluded.last_uid) ELSE excluded.last_uid END`,
        resyncs: sql`email_mailboxes.resyncs + CASE WHEN email_mailboxes.uid_validity = excluded.uid_validity THEN 0 ELSE 1 END`,
        uid_validity: sql`excluded.uid_validity`,
        updated_at: sql`now()`,
      }).where('email_mailboxes.tenant_id', '=', tenantId),
    )
    .execute();
}

export interface NewEmailMessage {
  channelId: string;
  rfcMessageId: string;
  direction: 'in' | 'out';
  messageId?: string | null;
  subject: string | null;
  inReplyTo: string | null;
  references: string[];
  fromAddress: string | null;
  toAddresses: string[];
  ccAddresses: string[];
  html?: string | null;
  attachments?: EmailMessagesTable['attachments']['__select__'];
  refusedAttachments?: RefusedEmailAttachment[];
  uidValidity?: number;
  uid?: number;
}

export type EmailMessage = Awaited<ReturnType<typeof findEmailMessage>> & object;

/** Records a mail; a Message-ID the channel has already (a refetch) changes nothing. True when it was new. */
export async function recordEmailMessage(db: Db, tenantId: string, m: NewEmailMessage): Promise<boolean> {
  const row = await db
    .insertInto('email_messages')
    .values({
      tenant_id: tenantId,
      channel_id: m.channelId,
      rfc_message_id: m.rfcMessageId,
      direction: m.direction,
      message_id: m.messageId ?? null,
      subject: m.subject,
      in_reply_to: m.inReplyTo,
      references: m.references,
      from_address: m.fromAddress,
      to_addresses: m.toAddresses,
      cc_addresses: m.ccAddresses,
      html: m.html ?? null,
      attachments: JSON.stringify(m.attachments ?? []),
      refused_attachments: JSON.stringify(m.refusedAttachments ?? []),
      bounce: JSON.stringify(null),
      uid_validity: m.uidValidity ?? null,
      uid: m.uid ?? null,
    })
    .onConflict((oc) => oc.columns(['channel_id', 'rfc_message_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** A mail of the channel by its Message-ID. */
export function findEmailMessage(db: Db, tenantId: string, channelId: string, rfcMessageId: string) {
  return db
    .selectFrom('email_messages')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('channel_id', '=', channelId)
    .where('rfc_message_id', '=', rfcMessageId)
    .executeTakeFirst();
}

/** The email record of a Sapa message (its HTML, subject, refused attachments, bounce), either direction. */
export async function findEmailOfMessage(db: Db, tenantId: string, messageId: string) {
  const message = await db
    .selectFrom('messages')
    .select(['id', 'channel_id', 'external_id', 'direction'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', messageId)
    .executeTakeFirst();
  if (!message) return undefined;
  let query = db.selectFrom('email_messages').selectAll().where('tenant_id', '=', tenantId).where('channel_id', '=', message.channel_id);
  query = message.direction === 'out' ? query.where('message_id', '=', message.id) : query.where('rfc_message_id', '=', message.external_id ?? '');
  return query.executeTakeFirst();
}

/** A conversation a mail of the thread belongs to. */
export interface ThreadConversation {
  rfcMessageId: string;
  conversationId: string;
  open: boolean;
}

/** The conversations of the channel's mails (either direction) among `rfcMessageIds`. */
export async function findThreadConversations(db: Db, tenantId: string, channelId: string, rfcMessageIds: string[]): Promise<ThreadConversation[]> {
  if (rfcMessageIds.length === 0) return [];
  const rows = await db
    .selectFrom('messages as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .select(['m.external_id', 'c.id', 'c.status'])
    .where('m.tenant_id', '=', tenantId)
    .where('m.channel_id', '=', channelId)
    .where('m.external_id', 'in', rfcMessageIds)
    .execute();
  return rows.map((r) => ({ rfcMessageId: r.external_id!, conversationId: r.id, open: r.status !== 'closed' }));
}

/** The conversation a ticket (by its number, `2026-000042`) was made from, if any, on this channel. */
export async function findTicketConversation(db: Db, tenantId: string, channelId: string, number: string): Promise<{ conversationId: string; open: boolean } | undefined> {
  const row = await db
    .selectFrom('tickets as t')
    .innerJoin('conversations as c', 'c.id', 't.conversation_id')
    .select(['c.id', 'c.status'])
    .where('t.tenant_id', '=', tenantId)
    .where('t.number', '=', number)
    .where('c.channel_id', '=', channelId)
    .executeTakeFirst();
  return row && { conversationId: row.id, open: row.status !== 'closed' };
}

/** What a reply in a conversation threads on: the customer's latest mail there, and the conversation's latest ticket. */
export interface ReplyContext {
  lastInbound: { rfcMessageId: string; references: string[]; subject: string | null; fromAddress: string | null } | undefined;
  /** The subject the conversation started with: replies keep it (one thread, one subject). */
  firstSubject: string | null;
  ticketNumber: string | undefined;
}

export async function findReplyContext(db: Db, tenantId: string, channelId: string, conversationId: string): Promise<ReplyContext> {
  const mails = db
    .selectFrom('messages as m')
    .innerJoin('email_messages as e', (j) => j.onRef('e.channel_id', '=', 'm.channel_id').onRef('e.rfc_message_id', '=', 'm.external_id'))
    .select(['e.rfc_message_id', 'e.references', 'e.subject', 'e.from_address'])
    .where('m.tenant_id', '=', tenantId)
    .where('m.channel_id', '=', channelId)
    .where('m.conversation_id', '=', conversationId)
    .where('m.direction', '=', 'in');
  const [last, first, ticket] = await Promise.all([
    mails.orderBy('m.created_at', 'desc').limit(1).executeTakeFirst(),
    mails.orderBy('m.created_at', 'asc').limit(1).executeTakeFirst(),
    db
      .selectFrom('tickets')
      .select('number')
      .where('tenant_id', '=', tenantId)
      .where('conversation_id', '=', conversationId)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst(),
  ]);
  return {
    lastInbound: last && { rfcMessageId: last.rfc_message_id, references: last.references, subject: last.subject, fromAddress: last.from_address },
    firstSubject: first?.subject ?? null,
    ticketNumber: ticket?.number,
  };
}

/** The Sapa message a bounce is about, with what the inbox needs to hear of it. */
export interface BouncedMessage {
  messageId: string;
  conversation: { id: string; teamId: string | null; assigneeId: string | null };
}

/**
 * A delivery status notification says one of our replies did not arrive: the reply's message and delivery become
 * `failed` with the reason (so it shows in `GET /v1/deliveries?status=failed`), and the bounce is kept on its mail.
 * Undefined when the channel sent no mail with that Message-ID; a second report of the same bounce changes nothing more.
 */
export function recordBounce(db: Db, tenantId: string, channelId: string, originalRfcId: string, bounce: EmailBounce): Promise<BouncedMessage | undefined> {
  return inTransaction(db, async (trx) => {
    const mail = await trx
      .updateTable('email_messages')
      .set({ bounce: JSON.stringify(bounce), bounced_at: sql`coalesce(bounced_at, now())` })
      .where('tenant_id', '=', tenantId)
      .where('channel_id', '=', channelId)
      .where('rfc_message_id', '=', originalRfcId)
      .where('direction', '=', 'out')
      .returning('message_id')
      .executeTakeFirst();
    if (!mail?.message_id) return undefined;
    const reason = bounceReason(bounce);
    await trx.updateTable('messages').set({ status: 'failed' }).where('tenant_id', '=', tenantId).where('id', '=', mail.message_id).execute();
    await trx
      .updateTable('deliveries')
      .set({ status: 'failed', last_error: reason, updated_at: sql`now()` })
      .where('tenant_id', '=', tenantId)
      .where('message_id', '=', mail.message_id)
      .execute();
    const conversation = await trx
      .selectFrom('messages as m')
      .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
      .select(['c.id', 'c.team_id', 'c.assignee_id'])
      .where('m.id', '=', mail.message_id)
      .executeTakeFirstOrThrow();
    return { messageId: mail.message_id, conversation: { id: conversation.id, teamId: conversation.team_id, assigneeId: conversation.assignee_id } };
  });
}

/** One line for an admin: `bounced: 5.1.1 (smtp; 550 5.1.1 user unknown) for budi@example.com`. */
export function bounceReason(b: EmailBounce): string {
  return [`bounced: ${b.status ?? b.action}`, b.diagnostic && `(${b.diagnostic})`, b.recipient && `for ${b.recipient}`].filter(Boolean).join(' ').slice(0, 2000);
}

function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

/**
 * Maintenance, across tenants (the email service owns no tenant): every `email` channel that should be watched,
 * optionally only those of some tenants (tests share one database).
 */
export function listWatchedEmailChannels(db: Db, onlyTenants?: readonly string[]) {
  return db
    .selectFrom('channels')
    .select(['id', 'tenant_id', 'config', 'secrets_enc', 'created_at', 'status'])
    .where('type', '=', 'email')
    .where('status', 'not in', ['disabled'])
    .where(withinTenants(onlyTenants))
    .orderBy('created_at')
    .execute();
}
