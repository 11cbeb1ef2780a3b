import type { ConversationDto, DomainEvent, MessageDto } from '@sapa/contracts';
import type { EventBus } from '@sapa/queue';
import type { FastifyBaseLogger } from 'fastify';

/** The request's logger or the service's: only warn and error are used. */
type Log = Pick<FastifyBaseLogger, 'warn' | 'error'>;

type NewEvent = Omit<DomainEvent, 'at'>;

// Data shapes match the router's events: a conversation event carries the Conversation itself, a message
// event the Message with its Conversation.

/** `conversation.updated`: the conversation's team, its assignee and anyone else named (e.g. the previous assignee). */
export function conversationUpdated(tenantId: string, conversation: ConversationDto, alsoUserIds: Array<string | null> = []): NewEvent {
  const userIds = uniqueIds([conversation.assigneeId, ...alsoUserIds]);
  return { type: 'conversation.updated', tenantId, audience: { teamId: conversation.teamId, userIds }, data: conversation };
}

/** `message.created`: whoever sees the conversation's events. */
export function messageCreated(tenantId: string, conversation: ConversationDto, message: MessageDto): NewEvent {
  return {
    type: 'message.created',
    tenantId,
    audience: { teamId: conversation.teamId, userIds: uniqueIds([conversation.assigneeId]) },
    data: { ...message, conversation },
  };
}

/** `agent.updated`, once per team of the agent (the audience names one team) and to the agent. */
export function agentUpdated(tenantId: string, agent: { id: string; name: string; status: string }, teamIds: string[]): NewEvent[] {
  const teams = teamIds.length > 0 ? teamIds : [null];
  return teams.map((teamId) => ({ type: 'agent.updated', tenantId, audience: { teamId, userIds: [agent.id] }, data: agent }));
}

/**
 * Publishes after the change has committed. Events are notifications (Postgres stays the record), so a
 * Redis hiccup is logged and the request still succeeds.
 */
export async function publishAll(bus: EventBus, logger: Log, events: NewEvent[]): Promise<void> {
  for (const event of events) {
    try {
      await bus.publish(event);
    } catch (err) {
      logger.warn({ err, type: event.type, tenantId: event.tenantId }, 'could not publish a live event');
    }
  }
}

function uniqueIds(ids: Array<string | null>): string[] {
  return [...new Set(ids.filter((id): id is string => id !== null))];
}
