import { addTicketEvent, updateTicket, type Ticket } from '@sapa/db/queries/tickets';
import { checkResolveGates } from '@sapa/handling';
import type { Db } from '@sapa/db/queries/db-handle';
import { GateNotMet, HopNotAllowed, TicketClosed, ValidationFailed } from '../errors.js';
import { TIER2, type TicketViewer } from './ticket-access.js';
import { gateInputOf, playbookOf, visibleTicket } from './ticket-context.js';

/**
 * Closing (POST /v1/tickets/{id}/close): Tier 2 informs the customer and closes, so only Tier 2 closes, and only a
 * ticket Tier 2 holds (one out with a related team comes back first: 403 `hop_not_allowed`). The resolution is the
 * closing note and must say something. The playbook's resolve gates hold too (409 `gate_not_met`).
 */
export async function closeTicket(trx: Db, viewer: TicketViewer, ticketId: string, resolution: string, now: Date): Promise<Ticket> {
  if (resolution.trim() === '') {
    throw ValidationFailed('the resolution is the closing note: say what was done', { errors: [{ path: 'resolution', message: 'must not be blank' }] });
  }
  const ticket = await visibleTicket(trx, viewer, ticketId, { forUpdate: true });
  if (ticket.status === 'closed') throw TicketClosed();
  if (ticket.team !== TIER2) throw HopNotAllowed(`${TIER2} closes a ticket it holds; this one is with ${ticket.team ?? 'the agent who opened it'}`);
  const playbook = await playbookOf(trx, ticket);
  const gates = checkResolveGates(playbook, await gateInputOf(trx, ticket, now), ticket.outcome);
  if (!gates.ok) throw GateNotMet(`gate ${gates.gate} does not hold`, { gate: gates.gate, missing: gates.missing });
  const closed = await updateTicket(trx, viewer.tenantId, ticket.id, { status: 'closed', resolution, closed: true });
  await addTicketEvent(trx, viewer.tenantId, ticket.id, {
    kind: 'closed',
    actorId: viewer.userId,
    actorRoles: [...viewer.roles],
    fromTeam: ticket.team,
    text: resolution,
  });
  return closed;
}
