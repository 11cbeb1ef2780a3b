import type { Conversation, Message } from '@sapa/db';
import { toConversationDto, toMessageDto } from '@sapa/db';
import type { EventBus } from '@sapa/queue';

/** Audience of a conversation's events: its team (and through it admins, leaders, QC) plus its assignee. */
function audienceOf(conversation: Conversation) {
  return { teamId: conversation.team_id, userIds: conversation.assignee_id ? [conversation.assignee_id] : [] };
}

/** `message.created` for Sapa's own nudge or closing text, shaped like the router's (message DTO + conversation). */
export async function publishSystemMessage(
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

/** `conversation.updated` after a close for silence (a closed conversation keeps its assignee, who hears of it). */
export async function publishClosed(
  bus: EventBus,
  conversation: Conversation,
  contact: { id: string; name: string | null },
  channelType: string,
): Promise<void> {
  await bus.publish({
    type: 'conversation.updated',
    tenantId: conversation.tenant_id,
    audience: audienceOf(conversation),
    data: toConversationDto(conversation, contact, channelType),
  });
}
