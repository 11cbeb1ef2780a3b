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
  /**
   * When the channel's adapter took it, as a UTC time to the microsecond (`readReceivedAt` of @sapa/contracts): the
   * message is stored at this time, within now() and a day before (migration 0018), so a contact's messages list in
   * the order the channel handed them over. Null: the database's now().
   */
  receivedAt: string | null;
}

export interface OutboundMessageRow {
  conversationId: string;
  channelId: string;
  authorType: 'agent' | 'system';
  authorId: string | null;
  text: string | null;
  /** Files Sapa holds carry their `id` (and `size`); readers get signed links to them. */
  attachments: Array<{ url: string; contentType: string; filename?: string; id?: string; size?: number }>;
  /** The message of the same conversation it answers (checked by the caller: findMessageInConversation). */
  replyToMessageId?: string | null;
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
      reply_to_message_id: m.replyToMessageId ?? null,
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
 * The common case in one statement (`sapa_append_inbound`, migrations 0002 and 0018): a known contact writes into
 * their open conversation on this channel. Stores the message and bumps the conversation, atomically;
 * undefined when there is no such open conversation (a new contact, or the last one was closed), which the
 * caller handles in a transaction.
 */
export async function appendToOpenConversation(
  db: Db,
  tenantId: string,
  m: Omit<InboundMessageRow, 'conversationId'> & { fromExternalId: string },
): Promise<AppendedInbound | undefined> {
  const { rows } = await sql<AppendedRow>`SELECT * FROM sapa_append_inbound(${tenantId}, ${m.channelId}, ${m.fromExternalId}, ${m.externalId}, ${m.text},
                                       ${JSON.stringify(m.attachments)}::jsonb, ${m.sentAt}, ${m.receivedAt})`.execute(db);
  return appendedFrom(tenantId, m, rows[0]);
}

/** What a `sapa_append_inbound*` function answers: the conversation as JSON after the lock, and the new message's id. */
export interface AppendedRow {
  o_conversation: Record<string, unknown>;
  o_contact_name: string | null;
  o_message_id: string | null;
  o_message_created_at: Date | null;
}

/** The conversation and message of an append (undefined when the function found no open conversation to append to). */
export function appendedFrom(tenantId: string, m: Omit<InboundMessageRow, 'conversationId'>, row: AppendedRow | undefined): AppendedInbound | undefined {
  if (!row) return undefined;
  const conversation = conversationFromJson(row.o_conversation);
  const message =
    row.o_message_id && row.o_message_created_at
      ? inboundMessage(tenantId, conversation.id, m, row.o_message_id, row.o_message_created_at)
      : undefined;
  return { conversation, contact: { id: conversation.contact_id, name: row.o_contact_name }, message };
}

export interface NewInbound extends Omit<InboundMessageRow, 'conversationId'> {
  fromExternalId: string;
  kind: Conversation['kind'];
  name: string | null;
  phone: string | null;
  email: string | null;
}

export type OpenedInbound = AppendedInbound & { message: Message; newConversation: boolean };

/**
 * Everything but the common case, in one statement (`sapa_open_inbound`, migrations 0008 and 0018): creates the contact
 * and its channel identity when new, opens a conversation (team: the channel's, else the tenant's default),
 * stores the message. `duplicate` when the channel delivered it before (nothing changes); undefined when the
 * channel no longer exists.
 */
export async function openInbound(db: Db, tenantId: string, m: NewInbound): Promise<OpenedInbound | 'duplicate' | undefined> {
  try {
    const { rows } = await sql<{
      o_conversation: Record<string, unknown>;
      o_contact_id: string;
      o_contact_name: string | null;
      o_created: boolean;
      o_message_id: string;
      o_message_created_at: Date;
    }>`SELECT * FROM sapa_open_inbound(${tenantId}, ${m.channelId}, ${m.kind}, ${m.fromExternalId}, ${m.name}, ${m.phone}, ${m.email},
                                       ${m.externalId}, ${m.text}, ${JSON.stringify(m.attachments)}::jsonb, ${m.sentAt}, ${m.receivedAt})`.execute(db);
    const row = rows[0];
    if (!row) return undefined;
    const conversation = conversationFromJson(row.o_conversation);
    return {
      conversation,
      contact: { id: row.o_contact_id, name: row.o_contact_name },
      message: inboundMessage(tenantId, conversation.id, m, row.o_message_id, row.o_message_created_at),
      newConversation: row.o_created,
    };
  } catch (err) {
    if ((err as { code?: string }).code === ALREADY_STORED) return 'duplicate';
    throw err;
  }
}

/** SQLSTATE `sapa_open_inbound` raises for a redelivered message, rolling its statement back. */
const ALREADY_STORED = 'SP001';

function inboundMessage(tenantId: string, conversationId: string, m: Omit<InboundMessageRow, 'conversationId'>, id: string, createdAt: Date): Message {
  return {
    id,
    tenant_id: tenantId,
    conversation_id: conversationId,
    channel_id: m.channelId,
    direction: 'in',
    author_type: 'contact',
    author_id: null,
    text: m.text,
    attachments: m.attachments,
    status: 'received',
    external_id: m.externalId,
    sent_at: m.sentAt,
    created_at: createdAt,
    reply_to_message_id: null,
  };
}

const CONVERSATION_TIMESTAMPS = [
  'queued_at',
  'assigned_at',
  'last_message_at',
  'created_at',
  'closed_at',
  'last_agent_message_at',
  'last_contact_message_at',
] as const;

/** A conversations row that crossed as `to_jsonb`: timestamps come back as strings. */
function conversationFromJson(json: Record<string, unknown>): Conversation {
  const row = { ...json };
  for (const key of CONVERSATION_TIMESTAMPS) row[key] = typeof row[key] === 'string' ? new Date(row[key]) : null;
  return row as unknown as Conversation;
}
