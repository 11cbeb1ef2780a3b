import type { Kysely } from 'kysely';
import { conversationAssigned, messageCreated } from '@sapa/contracts';
import type { Conversation, DB, Message } from '@sapa/db';
import { toConversationDto, toMessageDto } from '@sapa/db';
import { contactsAndChannelTypes } from '@sapa/db/queries/conversations';
import type { EventBus } from '@sapa/queue';

type ContactRef = { id: string; name: string | null };

export async function publishMessageCreated(
  bus: EventBus,
  conversation: Conversation,
  contact: ContactRef,
  channelType: string,
  message: Message,
): Promise<void> {
  await bus.publish(messageCreated(conversation.tenant_id, toConversationDto(conversation, contact, channelType), toMessageDto(message)));
}

export async function publishAssigned(bus: EventBus, conversation: Conversation, contact: ContactRef, channelType: string): Promise<void> {
  await bus.publish(conversationAssigned(conversation.tenant_id, toConversationDto(conversation, contact, channelType)));
}

/** Announces conversations a drain assigned (they may be any of the team's, so contact and channel are looked up). */
export async function publishAssignments(db: Kysely<DB>, bus: EventBus, conversations: Conversation[]): Promise<void> {
  if (conversations.length === 0) return;
  // A drain works within one team, so within one tenant.
  const rows = await contactsAndChannelTypes(db, conversations[0]!.tenant_id, conversations.map((c) => c.id));
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const conv of conversations) {
    const r = byId.get(conv.id);
    if (r) await publishAssigned(bus, conv, { id: r.contact_id, name: r.contact_name }, r.channel_type);
  }
}
