import type { ConversationDto, MessageDto } from './conversations.js';
import type { DomainEvent } from './events.js';
import type { TicketDto } from './tickets.js';

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

/** What changed on a ticket, for `ticket.updated` (a hop, a note, a reminder of its SLA ladder, a breach …). */
export interface TicketChangeNote {
  kind: string;
  [detail: string]: unknown;
}

/** `ticket.updated`: the team that holds the ticket and the people named (its opener, the owner of a reminder). */
export function ticketUpdated(tenantId: string, ticket: TicketDto, teamId: string | null, userIds: Array<string | null>, change: TicketChangeNote): NewDomainEvent {
  return { type: 'ticket.updated', tenantId, audience: { teamId, userIds: uniqueIds(userIds) }, data: { ...ticket, change } };
}

/** `sla.breached` of a ticket: only the leaders of the team responsible hear it. */
export function ticketSlaBreached(tenantId: string, ticket: TicketDto, teamId: string): NewDomainEvent {
  return {
    type: 'sla.breached',
    tenantId,
    audience: { leadersOfTeamId: teamId, userIds: [] },
    data: { subject: 'ticket', ticketId: ticket.id, number: ticket.number, team: ticket.team, dueAt: ticket.dueAt, breachedAt: ticket.breachedAt, ticket },
  };
}

/**
 * `sla.breached` of a conversation whose agent did not answer in time (routing.firstResponseSeconds): the leaders of
 * its team hear which agent, and what the router did about it (the step of the response chain).
 */
export function firstResponseBreached(tenantId: string, conversation: ConversationDto, teamId: string, agentId: string | null, action: string): NewDomainEvent {
  return {
    type: 'sla.breached',
    tenantId,
    audience: { leadersOfTeamId: teamId, userIds: [] },
    data: { subject: 'conversation', reason: 'first_response', conversationId: conversation.id, agentId, action, conversation },
  };
}

function uniqueIds(ids: Array<string | null>): string[] {
  return [...new Set(ids.filter((id): id is string => id !== null))];
}
