import type { TicketDto, TicketEventDto } from '@sapa/contracts';
import type { Ticket, TicketEvent } from '@sapa/db/queries/tickets';

export function toTicketDto(t: Ticket): TicketDto {
  return {
    id: t.id,
    number: t.number,
    conversationId: t.conversation_id,
    playbookKey: t.playbook_key,
    playbookVersion: t.playbook_version,
    // pending_customer arrives with the SLA clock; until then a ticket is never in it.
    status: t.status === 'pending_customer' ? 'dispatched' : t.status,
    team: t.team,
    fields: t.fields ?? {},
    verification: { checked: t.checked ?? [] },
    outcome: t.outcome,
    dueAt: t.due_at ? t.due_at.toISOString() : null,
    createdAt: t.created_at.toISOString(),
  };
}

export function toTicketEventDto(e: TicketEvent): TicketEventDto {
  return { id: e.id, ticketId: e.ticket_id, kind: e.kind, actorId: e.actor_id, gate: e.gate, text: e.text, createdAt: e.created_at.toISOString() };
}
