import { listTeams } from '@sapa/db/queries/teams';
import { addTicketEvent, updateTicket, type Ticket } from '@sapa/db/queries/tickets';
import { checkDispatchGates, missingRequiredFields } from '@sapa/handling';
import type { Db } from '@sapa/db/queries/db-handle';
import { GateNotMet, HopNotAllowed, TeamNotFound, TicketClosed } from '../errors.js';
import { hopRefusal, type TicketViewer } from './ticket-access.js';
import { gateInputOf, playbookOf, visibleTicket } from './ticket-context.js';

/** The pseudo-gate of a playbook's required fields: the team the ticket goes to needs them to act. */
export const REQUIRED_FIELDS_GATE = 'required_fields';

/**
 * One hop of a ticket (POST /v1/tickets/{id}/dispatch), in one transaction with the ticket locked: the hop rules
 * (403 `hop_not_allowed`), the target team (404 `team_not_found`), the playbook's dispatch gates of the version the
 * ticket started on, then its required fields (409 `gate_not_met` naming the gate and what is missing). Nothing
 * changes on a refusal; otherwise the ticket moves to the team and a `dispatched` event records who, from, to, why.
 */
export async function dispatchTicket(trx: Db, viewer: TicketViewer, ticketId: string, target: string, note: string | undefined, now: Date): Promise<Ticket> {
  const ticket = await visibleTicket(trx, viewer, ticketId, { forUpdate: true });
  if (ticket.status === 'closed') throw TicketClosed();
  const refusal = hopRefusal(viewer, { createdBy: ticket.created_by, team: ticket.team }, target);
  if (refusal) throw HopNotAllowed(refusal, { from: ticket.team, to: target });
  const teams = await listTeams(trx, viewer.tenantId);
  if (!teams.some((t) => t.key === target)) throw TeamNotFound(`no team ${target} in this tenant`);

  const playbook = await playbookOf(trx, ticket);
  const gates = checkDispatchGates(playbook, await gateInputOf(trx, ticket, now), target);
  if (!gates.ok) throw GateNotMet(`gate ${gates.gate} does not hold`, { gate: gates.gate, missing: gates.missing });
  const missingFields = missingRequiredFields(playbook, ticket.fields ?? {});
  if (missingFields.length > 0) {
    throw GateNotMet(`required fields are missing: ${missingFields.join(', ')}`, {
      gate: REQUIRED_FIELDS_GATE,
      missing: missingFields.map((field) => ({ kind: 'field', field })),
    });
  }

  const moved = await updateTicket(trx, viewer.tenantId, ticket.id, { status: 'dispatched', team: target });
  await addTicketEvent(trx, viewer.tenantId, ticket.id, {
    kind: 'dispatched',
    actorId: viewer.userId,
    actorRoles: [...viewer.roles],
    fromTeam: ticket.team,
    toTeam: target,
    text: note ?? null,
    dueAt: moved.due_at,
    details: { fromStatus: ticket.status, waived: gates.waived },
  });
  return moved;
}
