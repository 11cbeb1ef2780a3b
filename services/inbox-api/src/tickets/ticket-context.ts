import type { Role } from '@sapa/contracts';
import { findContact } from '@sapa/db/queries/contacts';
import type { Db } from '@sapa/db/queries/db-handle';
import { findPlaybook } from '@sapa/db/queries/playbooks';
import { listTeams } from '@sapa/db/queries/teams';
import { findTicket, listTicketEvents, type Ticket } from '@sapa/db/queries/tickets';
import type { GateInput, Playbook } from '@sapa/handling';
import type { Principal } from '../auth/principal.js';
import { PlaybookNotFound, TicketNotFound } from '../errors.js';
import { canViewTicket, type TicketViewer } from './ticket-access.js';

/** The caller with the keys of their teams. */
export async function ticketViewer(db: Db, principal: Principal): Promise<TicketViewer> {
  const teams = await listTeams(db, principal.tenantId);
  const keys = teams.filter((t) => principal.teamIds.includes(t.id)).map((t) => t.key);
  return { ...principal, teamKeys: keys };
}

/**
 * The ticket if this viewer may see it, else 404 `ticket_not_found` (the same answer as another tenant's id).
 * `forUpdate` locks it until the caller's transaction ends, so two hops of one ticket take turns.
 */
export async function visibleTicket(db: Db, viewer: TicketViewer, id: string, options: { forUpdate?: boolean } = {}): Promise<Ticket> {
  const ticket = await findTicket(db, viewer.tenantId, id, options);
  if (!ticket || !canViewTicket(viewer, { createdBy: ticket.created_by, team: ticket.team })) throw TicketNotFound();
  return ticket;
}

/** The playbook version the ticket started on. */
export async function playbookOf(db: Db, ticket: Ticket): Promise<Playbook> {
  const playbook = await findPlaybook(db, ticket.tenant_id, ticket.playbook_key, ticket.playbook_version);
  if (!playbook) throw PlaybookNotFound();
  return playbook;
}

/** What the gates look at: the ticket's checks and fields, the contact's profile, the exceptions on record. */
export async function gateInputOf(db: Db, ticket: Ticket, now: Date): Promise<GateInput> {
  const contact = ticket.contact_id ? await findContact(db, ticket.tenant_id, ticket.contact_id) : undefined;
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(contact?.attributes ?? {})) if (typeof v === 'string') attributes[k] = v;
  const events = (await listTicketEvents(db, ticket.tenant_id, ticket.id, ['exception', 'approval'])).filter((e) => e.gate !== null);
  // Only team leaders record exceptions (POST /v1/tickets/{id}/exceptions), so that is the role that waives.
  const exceptions = events.filter((e) => e.kind === 'exception').map((e) => ({ gate: e.gate!, role: 'team_leader' as Role }));
  // An approval records how its approver qualified (approve-ticket.ts): by a role, or by a team.
  const approvals = events
    .filter((e) => e.kind === 'approval')
    .map((e) => ({ gate: e.gate!, role: e.details.role as Role, teamKey: (e.details.teamKey as string | null) ?? null }));
  return { checkedItems: ticket.checked ?? [], fields: ticket.fields ?? {}, contactAttributes: attributes, exceptions, approvals, now };
}

/** The tenant's local year of an instant: ticket numbers run per calendar year where the tenant works. */
export function localYear(at: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric' }).format(at));
}
