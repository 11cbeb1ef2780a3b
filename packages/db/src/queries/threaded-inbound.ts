import { sql } from 'kysely';
import type { Conversation } from '../schema.js';
import type { Db } from './db-handle.js';
import type { AppendedInbound, InboundMessageRow } from './messages.js';

/**
 * A message that answers a known thread joins that thread's conversation (`sapa_append_inbound_to`, migration 0011):
 * email replies carry In-Reply-To/References, and the email service names the conversation they belong to
 * (InboundMessage.conversationHint). Undefined when that conversation is closed, of another channel or tenant, or
 * gone: the caller then goes the usual way, by contact. `message` is undefined when the channel delivered it before.
 */
export async function appendToConversation(db: Db, tenantId: string, m: InboundMessageRow): Promise<AppendedInbound | undefined> {
  const { rows } = await sql<{
    o_conversation: Record<string, unknown>;
    o_contact_name: string | null;
    o_message_id: string | null;
    o_message_created_at: Date | null;
  }>`SELECT * FROM sapa_append_inbound_to(${tenantId}, ${m.channelId}, ${m.conversationId}, ${m.externalId}, ${m.text},
                                          ${JSON.stringify(m.attachments)}::jsonb, ${m.sentAt})`.execute(db);
  const row = rows[0];
  if (!row) return undefined;
  const conversation = fromJson(row.o_conversation);
  const message =
    row.o_message_id && row.o_message_created_at
      ? {
          id: row.o_message_id,
          tenant_id: tenantId,
          conversation_id: conversation.id,
          channel_id: m.channelId,
          direction: 'in' as const,
          author_type: 'contact' as const,
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

const TIMESTAMPS = ['queued_at', 'assigned_at', 'last_message_at', 'created_at', 'closed_at', 'last_agent_message_at', 'last_contact_message_at'] as const;

/** A conversations row that crossed as `to_jsonb`: timestamps come back as strings. */
function fromJson(json: Record<string, unknown>): Conversation {
  const row = { ...json };
  for (const key of TIMESTAMPS) row[key] = typeof row[key] === 'string' ? new Date(row[key]) : null;
  return row as unknown as Conversation;
}
