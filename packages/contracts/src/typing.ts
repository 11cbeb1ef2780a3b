import type { NewDomainEvent } from './event-builders.js';

/** Who is typing in a conversation: the customer (live chat visitor) or an agent. */
export interface TypingActor {
  type: 'contact' | 'agent';
  /** The agent's user id; absent for the customer. */
  id?: string;
  name?: string | null;
}

/**
 * `conversation.typing` (api-contract.md §Live events, added for live chat): someone started or stopped typing. To
 * the conversation's team and assignee like its messages; the gateway's live chat listens for the agents' side and
 * shows it to the visitor. A notification only: nothing is stored, and a lost one is followed by the message itself.
 */
export function conversationTyping(
  tenantId: string,
  conversation: { id: string; channelId: string; channelType: string; teamId: string | null; assigneeId: string | null },
  actor: TypingActor,
  typing: boolean,
): NewDomainEvent {
  return {
    type: 'conversation.typing',
    tenantId,
    audience: { teamId: conversation.teamId, userIds: conversation.assigneeId ? [conversation.assigneeId] : [] },
    data: { conversationId: conversation.id, channelId: conversation.channelId, channelType: conversation.channelType, actor, typing },
  };
}
