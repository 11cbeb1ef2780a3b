import { conversationUpdated, messageCreated } from '@sapa/contracts';
import type { Conversation, Message } from '@sapa/db';
import { toConversationDto, toMessageDto } from '@sapa/db';
import type { EventBus } from '@sapa/queue';

type ContactRef = { id: string; name: string | null };

/** `message.created` for Sapa's own nudge or closing text, shaped like every other (message DTO + conversation). */
export async function publishSystemMessage(
  bus: EventBus,
  conversation: Conversation,
  contact: ContactRef,
  channelType: string,
  message: Message,
): Promise<void> {
  await bus.publish(messageCreated(conversation.tenant_id, toConversationDto(conversation, contact, channelType), toMessageDto(message)));
}

/** `conversation.updated` after a close for silence (a closed conversation keeps its assignee, who hears of it). */
export async function publishClosed(bus: EventBus, conversation: Conversation, contact: ContactRef, channelType: string): Promise<void> {
  await bus.publish(conversationUpdated(conversation.tenant_id, toConversationDto(conversation, contact, channelType)));
}
