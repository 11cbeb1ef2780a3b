import type { ChannelType, ConversationDto, MessageDto, Phase } from '@sapa/contracts';
import type { Conversation, Message } from './schema.js';

/** The contract's Conversation from a row plus what it joins (contact name, channel type). */
export function toConversationDto(
  c: Conversation,
  contact: { id: string; name: string | null },
  channelType: string,
): ConversationDto {
  return {
    id: c.id,
    channelId: c.channel_id,
    channelType: channelType as ChannelType,
    contact: { id: contact.id, name: contact.name },
    status: c.status,
    assigneeId: c.assignee_id,
    teamId: c.team_id,
    priority: c.priority,
    phase: c.phase as Phase,
    closeReason: c.close_reason,
    lastMessageAt: c.last_message_at ? c.last_message_at.toISOString() : null,
    createdAt: c.created_at.toISOString(),
  };
}

/** The contract's Message from a row. */
export function toMessageDto(m: Message): MessageDto {
  return {
    id: m.id,
    conversationId: m.conversation_id,
    direction: m.direction,
    authorType: m.author_type,
    authorId: m.author_id,
    text: m.text,
    attachments: m.attachments,
    status: m.status as MessageDto['status'],
    createdAt: m.created_at.toISOString(),
  };
}
