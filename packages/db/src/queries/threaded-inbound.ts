import { sql } from 'kysely';
import type { Db } from './db-handle.js';
import { appendedFrom, type AppendedInbound, type AppendedRow, type InboundMessageRow } from './messages.js';

/**
 * A message that answers a known thread joins that thread's conversation (`sapa_append_inbound_to`, migrations 0011 and 0018):
 * email replies carry In-Reply-To/References, and the email service names the conversation they belong to
 * (InboundMessage.conversationHint). Undefined when that conversation is closed, of another channel or tenant, or
 * gone: the caller then goes the usual way, by contact. `message` is undefined when the channel delivered it before.
 */
export async function appendToConversation(db: Db, tenantId: string, m: InboundMessageRow): Promise<AppendedInbound | undefined> {
  const { rows } = await sql<AppendedRow>`SELECT * FROM sapa_append_inbound_to(${tenantId}, ${m.channelId}, ${m.conversationId}, ${m.externalId}, ${m.text},
                                          ${JSON.stringify(m.attachments)}::jsonb, ${m.sentAt}, ${m.receivedAt})`.execute(db);
  return appendedFrom(tenantId, m, rows[0]);
}
