import { sql } from 'kysely';
import type { Message } from '../schema.js';
import type { Db } from './db-handle.js';

/**
 * Quoted replies (migration 0016): which earlier message of the same conversation a message answers. A channel names
 * the quoted message by its own id, which is `messages.external_id` for a customer's message and for Sapa's message
 * once the channel took it and said its id (markDeliverySent, the id receipts find it by too). A channel that gives no
 * id of its own for what Sapa sends (the generic API channel, live chat) knows Sapa's messages by Sapa's id, so an
 * outbound message without an external id is also found by its own id.
 */

/**
 * Links a stored inbound message to the message of its conversation that `replyToExternalId` names on its channel;
 * answers the message as it now is. A quote of a message Sapa does not hold, or holds in another conversation (an
 * older, closed one), leaves the link null: the quoted words in the text are all the agent gets then.
 */
export async function linkInboundReply(db: Db, tenantId: string, message: Message, replyToExternalId: string): Promise<Message> {
  const quoted = await db
    .selectFrom('messages')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('channel_id', '=', message.channel_id)
    .where('conversation_id', '=', message.conversation_id)
    .where('id', '<>', message.id)
    .where((eb) =>
      eb.or([
        eb('external_id', '=', replyToExternalId),
        eb.and([eb('direction', '=', 'out'), eb('external_id', 'is', null), eb(sql<string>`id::text`, '=', replyToExternalId)]),
      ]),
    )
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!quoted) return message;
  await db
    .updateTable('messages')
    .set({ reply_to_message_id: quoted.id })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', message.id)
    .execute();
  return { ...message, reply_to_message_id: quoted.id };
}

/** A message of `conversationId` that an agent's reply may answer, or undefined when there is none (another conversation, tenant, or no such id). */
export function findMessageInConversation(db: Db, tenantId: string, conversationId: string, messageId: string): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('messages')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('conversation_id', '=', conversationId)
    .where('id', '=', messageId)
    .executeTakeFirst();
}

/**
 * What a channel needs to send a reply as a quote of the message it answers: the channel's id of the quoted message
 * (null when it never had one: a message that was never sent, or a system note), and enough of it to show.
 */
export interface QuotedMessage {
  id: string;
  externalId: string | null;
  direction: 'in' | 'out';
  text: string | null;
}
