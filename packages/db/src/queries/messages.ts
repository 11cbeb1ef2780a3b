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
 * The common case in one statement (`sapa_append_inbound`, migration 0002): a known contact writes into
 * their open conversation on this channel. Stores the message and bumps the conversation, atomically;
 * undefined when there is no such open conversation (a new contact, or the last one was closed), which the
 * caller handles in a transaction.
 */
export async function appendToOpenConversation(
  db: Db,
  tenantId: string,
  m: Omit<InboundMessageRow, 'conversationId'> & { fromExternalId: string },
): Promise<AppendedInbound | undefined> {
  const { rows } = await sql<{
    o_conversation: Record<string, unknown>;
    o_contact_name: string | null;
    o_message_id: string | null;
    o_message_created_at: Date | null;
  }>`SELECT * FROM sapa_append_inbound(${tenantId}, ${m.channelId}, ${m.fromExternalId}, ${m.externalId}, ${m.text},
                                       ${JSON.stringify(m.attachments)}::jsonb, ${m.sentAt})`.execute(db);
  const row = rows[0];
  if (!row) return undefined;
  const conversation = conversationFromJson(row.o_conversation);
  const message: Message | undefined =
    row.o_message_id && row.o_message_created_at
      ? {
          id: row.o_message_id,
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
          created_at: row.o_message_created_at,
        }
      : undefined;
  return { conversation, contact: { id: conversation.contact_id, name: row.o_contact_name }, message };
}

const CONVERSATION_TIMESTAMPS = ['queued_at', 'assigned_at', 'last_message_at', 'created_at', 'closed_at'] as const;

/** A conversations row that crossed as `to_jsonb`: timestamps come back as strings. */
function conversationFromJson(json: Record<string, unknown>): Conversation {
  const row = { ...json };
  for (const key of CONVERSATION_TIMESTAMPS) row[key] = typeof row[key] === 'string' ? new Date(row[key]) : null;
  return row as unknown as Conversation;
}
