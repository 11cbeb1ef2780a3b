import type { Kysely } from 'kysely';
import type { Conversation, DB, Message } from '@sapa/db';
import { contactsAndChannelTypes } from '@sapa/db/queries/conversations';
import { toConversationDto, toMessageDto } from '@sapa/db';
import type { EventBus } from '@sapa/queue';

/**
 * Domain events of the router. Audience: the conversation's team (and through it admins, leaders, QC)
 * plus its assignee.
 */
export function audienceOf(conversation: Conversation) {
  return { teamId: conversation.team_id, userIds: conversation.assignee_id ? [conversation.assignee_id] : [] };
}

export async function publishMessageCreated(
  bus: EventBus,
  conversation: Conversation,
  contact: { id: string; name: string | null },
  channelType: string,
  message: Message,
): Promise<void> {
  await bus.publish({
    type: 'message.created',
    tenantId: conversation.tenant_id,
    audience: audienceOf(conversation),
    data: { ...toMessageDto(message), conversation: toConversationDto(conversation, contact, channelType) },
  });
}

export async function publishAssigned(bus: EventBus, conversation: Conversation, contact: { id: string; name: string | null }, channelType: string): Promise<void> {
  await bus.publish({
    type: 'conversation.assigned',
    tenantId: conversation.tenant_id,
    audience: audienceOf(conversation),
    data: toConversationDto(conversation, contact, channelType),
  });
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
