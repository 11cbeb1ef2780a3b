import type { ConversationDto, MessageDto } from './conversations.js';
import type { DomainEvent } from './events.js';

/**
 * The domain events every service publishes, built in one place so their shapes and audiences agree
 * (api-contract.md §Live events): a conversation event carries the Conversation itself, a message event the
 * Message with its Conversation; the audience is the conversation's team plus its assignee.
 */
export type NewDomainEvent = Omit<DomainEvent, 'at'>;

/** `conversation.updated`: the conversation's team, its assignee and anyone else named (e.g. the previous assignee). */
export function conversationUpdated(tenantId: string, conversation: ConversationDto, alsoUserIds: Array<string | null> = []): NewDomainEvent {
  const userIds = uniqueIds([conversation.assigneeId, ...alsoUserIds]);
  return { type: 'conversation.updated', tenantId, audience: { teamId: conversation.teamId, userIds }, data: conversation };
}

/** `conversation.assigned`: the team and the agent who now holds it. */
export function conversationAssigned(tenantId: string, conversation: ConversationDto): NewDomainEvent {
  return {
    type: 'conversation.assigned',
    tenantId,
    audience: { teamId: conversation.teamId, userIds: uniqueIds([conversation.assigneeId]) },
    data: conversation,
  };
}

/** `message.created`: whoever sees the conversation's events. */
export function messageCreated(tenantId: string, conversation: ConversationDto, message: MessageDto): NewDomainEvent {
  return {
    type: 'message.created',
    tenantId,
    audience: { teamId: conversation.teamId, userIds: uniqueIds([conversation.assigneeId]) },
    data: { ...message, conversation },
  };
}

/** `agent.updated`, once per team of the agent (the audience names one team) and to the agent. */
export function agentUpdated(tenantId: string, agent: { id: string; name: string; status: string }, teamIds: string[]): NewDomainEvent[] {
  const teams = teamIds.length > 0 ? teamIds : [null];
  return teams.map((teamId) => ({ type: 'agent.updated', tenantId, audience: { teamId, userIds: [agent.id] }, data: agent }));
}

function uniqueIds(ids: Array<string | null>): string[] {
  return [...new Set(ids.filter((id): id is string => id !== null))];
}
