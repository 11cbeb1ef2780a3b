import { sql } from 'kysely';
import type { Conversation, Message } from '../schema.js';
import type { Db } from './db-handle.js';

export interface InboundMessageRow {
  conversationId: string;
  channelId: string;
  externalId: string;
  text: string | null;
  attachments: Array<{ url: string; contentType: string; filename?: string }>;
  sentAt: Date | null;
}

/**
 * Stores a customer's message; undefined when the channel delivered this message before (or a
 * concurrent worker stored it first): the unique (channel, external id) is the guard against duplicates.
 */
export async function insertInboundMessage(db: Db, tenantId: string, m: InboundMessageRow): Promise<Message | undefined> {
  const row = await db
    .insertInto('messages')
    .values({
      tenant_id: tenantId,
      conversation_id: m.conversationId,
      channel_id: m.channelId,
      direction: 'in',
      author_type: 'contact',
      author_id: null,
      text: m.text,
      attachments: JSON.stringify(m.attachments),
      status: 'received',
      external_id: m.externalId,
      sent_at: m.sentAt,
    })
    .onConflict((oc) => oc.columns(['channel_id', 'external_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (row) await touchConversation(db, tenantId, m.conversationId, row.created_at);
  return row;
}

export interface OutboundMessageRow {
  conversationId: string;
  channelId: string;
  authorType: 'agent' | 'system';
  authorId: string | null;
  text: string | null;
  attachments: Array<{ url: string; contentType: string; filename?: string }>;
}

/** Stores a reply (an agent's or Sapa's own) as `queued`; the channel's outbound worker moves it on. */
export async function insertOutboundMessage(db: Db, tenantId: string, m: OutboundMessageRow): Promise<Message> {
  const row = await db
    .insertInto('messages')
    .values({
      tenant_id: tenantId,
      conversation_id: m.conversationId,
      channel_id: m.channelId,
      direction: 'out',
      author_type: m.authorType,
      author_id: m.authorId,
      text: m.text,
      attachments: JSON.stringify(m.attachments),
      status: 'queued',
      external_id: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await touchConversation(db, tenantId, m.conversationId, row.created_at);
  return row;
}

async function touchConversation(db: Db, tenantId: string, conversationId: string, at: Date): Promise<void> {
  await db
    .updateTable('conversations')
    .set({ last_message_at: at })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', conversationId)
    .execute();
}

export interface AppendedInbound {
  conversation: Conversation;
  contact: { id: string; name: string | null };
  /** Undefined when the channel delivered this message before. */
  message: Message | undefined;
}

/**
 * The common case in one statement: a known contact writes into their open conversation on this channel.
 * Stores the message and bumps the conversation, atomically; undefined when there is no such open
 * conversation (a new contact, or the last one was closed), which the caller handles in a transaction.
 */
export async function appendToOpenConversation(
  db: Db,
  tenantId: string,
  m: Omit<InboundMessageRow, 'conversationId'> & { fromExternalId: string },
): Promise<AppendedInbound | undefined> {
  const attachments = JSON.stringify(m.attachments);
  const { rows } = await sql<Conversation & { contact_name: string | null; message_id: string | null; message_created_at: Date | null }>`
    WITH target AS (
      SELECT c.id AS conversation_id, k.id AS contact_id, k.name AS contact_name
        FROM contact_identities i
        JOIN contacts k ON k.id = i.contact_id
        JOIN conversations c ON c.contact_id = i.contact_id AND c.channel_id = i.channel_id AND c.status <> 'closed'
       WHERE i.tenant_id = ${tenantId} AND i.channel_id = ${m.channelId} AND i.external_id = ${m.fromExternalId}
    ), ins AS (
      INSERT INTO messages (tenant_id, conversation_id, channel_id, direction, author_type, text, attachments, status, external_id, sent_at)
      SELECT ${tenantId}, t.conversation_id, ${m.channelId}, 'in', 'contact', ${m.text}, ${attachments}::jsonb, 'received', ${m.externalId}, ${m.sentAt}
        FROM target t
      ON CONFLICT (channel_id, external_id) DO NOTHING
      RETURNING id, conversation_id, created_at
    ), bumped AS (
      UPDATE conversations c SET last_message_at = ins.created_at FROM ins WHERE c.id = ins.conversation_id
    )
    -- The statement reads the conversation as it was; only last_message_at changes, so it is patched here
    -- (the later of the two last_message_at columns is the one the driver keeps).
    SELECT c.*, coalesce(ins.created_at, c.last_message_at) AS last_message_at,
           t.contact_name, ins.id AS message_id, ins.created_at AS message_created_at
      FROM target t
      JOIN conversations c ON c.id = t.conversation_id
      LEFT JOIN ins ON true`.execute(db);
  const row = rows[0];
  if (!row) return undefined;
  const { contact_name, message_id, message_created_at, ...conversation } = row;
  const message: Message | undefined =
    message_id && message_created_at
      ? {
          id: message_id,
          tenant_id: tenantId,
          conversation_id: conversation.id,
          channel_id: m.channelId,
          direction: 'in',
          author_type: 'contact',
          author_id: null,
          text: m.text,
          attachments: m.attachments,
          status: 'received',
          external_id: m.externalId,
          sent_at: m.sentAt,
          created_at: message_created_at,
        }
      : undefined;
  return { conversation, contact: { id: conversation.contact_id, name: contact_name }, message };
}
