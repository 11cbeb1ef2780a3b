import type { Contact, Conversation, Message } from '@sapa/db';
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
  contact: Contact,
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
