import type { Message } from '../schema.js';
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
