import type { ChannelType, ConversationDto, MessageDto, Phase, TicketDto, TicketEventDto } from '@sapa/contracts';
import type { TicketsTable, TicketEventsTable, Conversation, Message } from './schema.js';
import type { Selectable } from 'kysely';

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
    replyToMessageId: m.reply_to_message_id ?? null,
  };
}

/** Whether a ticket is past its due time: recorded so, or due passed while it is neither finished nor waiting on the customer. */
export function isTicketBreached(t: Selectable<TicketsTable>, now: Date): boolean {
  if (t.breached_at) return true;
  const finished = t.status === 'resolved' || t.status === 'closed';
  return t.due_at !== null && t.due_at.getTime() < now.getTime() && t.sla_paused_at === null && !finished;
}

/** The contract's Ticket. A ticket waiting on the customer keeps the contract's status and says so in `waitingOnCustomerSince`. */
export function toTicketDto(t: Selectable<TicketsTable>, now: Date = new Date()): TicketDto {
  return {
    id: t.id,
    number: t.number,
    conversationId: t.conversation_id,
    playbookKey: t.playbook_key,
    playbookVersion: t.playbook_version,
    // The pause lives in sla_paused_at; pending_customer is reserved in the schema and never written.
    status: t.status === 'pending_customer' ? 'dispatched' : t.status,
    team: t.team,
    fields: t.fields ?? {},
    verification: { checked: t.checked ?? [] },
    outcome: t.outcome,
    dueAt: t.due_at ? t.due_at.toISOString() : null,
    breached: isTicketBreached(t, now),
    breachedAt: t.breached_at ? t.breached_at.toISOString() : null,
    waitingOnCustomerSince: t.sla_paused_at ? t.sla_paused_at.toISOString() : null,
    createdAt: t.created_at.toISOString(),
  };
}

export function toTicketEventDto(e: Selectable<TicketEventsTable>): TicketEventDto {
  return {
    id: e.id,
    ticketId: e.ticket_id,
    kind: e.kind,
    actorId: e.actor_id,
    gate: e.gate,
    text: e.text,
    fromTeam: e.from_team,
    toTeam: e.to_team,
    dueAt: e.due_at ? e.due_at.toISOString() : null,
    details: e.details ?? {},
    createdAt: e.created_at.toISOString(),
  };
}
