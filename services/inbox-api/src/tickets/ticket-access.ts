import type { TicketScope } from '@sapa/db/queries/tickets';
import { hasRole, type Viewer } from '../auth/principal.js';

/** A viewer with the keys of their teams: tickets name the team that holds them by key, as playbooks do. */
export interface TicketViewer extends Viewer {
  teamKeys: readonly string[];
}

/** The parts of a ticket that decide who sees it and who works it. */
export interface TicketFacts {
  createdBy: string | null;
  /** The team key that holds it; null while it is with the agent who opened it. */
  team: string | null;
}

export const TIER2 = 'tier2';

/** Who opens tickets from a conversation (customer-handling.md §Roles). */
export const OPENERS = ['agent', 'team_leader', 'tier2'];
/** Who works tickets; QC reads everything and changes nothing, admins configure. */
export const WORKERS = ['agent', 'team_leader', 'tier2', 'related_team'];

/**
 * Who sees which tickets (customer-handling.md §Roles): admins, QC and team leaders see all; everyone else the
 * ones they created and the ones a team of theirs holds. Tier 2 also sees every ticket that left the agent, since
 * every hop beyond the agent goes through Tier 2 and comes back to it.
 */
export function ticketScope(v: TicketViewer): TicketScope {
  if (hasRole(v, 'admin', 'quality_control', 'team_leader')) return { all: true };
  return { all: false, userId: v.userId, teamKeys: [...v.teamKeys], dispatched: hasRole(v, TIER2) };
}

export function canViewTicket(v: TicketViewer, t: TicketFacts): boolean {
  if (hasRole(v, 'admin', 'quality_control', 'team_leader')) return true;
  if (t.createdBy === v.userId) return true;
  if (t.team === null) return false;
  return v.teamKeys.includes(t.team) || hasRole(v, TIER2);
}

/** Checking verification and filling fields: whoever holds it (the opener while open, the holding team), or a team leader. */
export function canWorkTicket(v: TicketViewer, t: TicketFacts): boolean {
  if (hasRole(v, 'team_leader')) return true;
  if (t.team === null) return t.createdBy === v.userId;
  return v.teamKeys.includes(t.team) || (t.team === TIER2 && hasRole(v, TIER2));
}

/**
 * The hops of customer-handling.md §Tickets and dispatch: the agent who opened it (or a team leader) sends an open
 * ticket to Tier 2; Tier 2 sends it on to a related team; a member of that related team hands it back to Tier 2.
 * Answers why a hop is refused, or null when it is allowed.
 */
export function hopRefusal(v: TicketViewer, t: TicketFacts, target: string): string | null {
  if (t.team === null) {
    if (!(hasRole(v, 'team_leader') || (hasRole(v, 'agent') && t.createdBy === v.userId))) {
      return 'an open ticket is dispatched by the agent who opened it or a team leader';
    }
    return target === TIER2 ? null : `an open ticket goes to ${TIER2} first`;
  }
  if (t.team === TIER2) {
    if (!hasRole(v, TIER2)) return `only ${TIER2} dispatches a ticket that ${TIER2} holds`;
    return target === TIER2 ? `the ticket is already with ${TIER2}` : null;
  }
  if (!(hasRole(v, 'related_team') && v.teamKeys.includes(t.team))) return `only a member of ${t.team} hands this ticket on`;
  return target === TIER2 ? null : `a related team hands the ticket back to ${TIER2} only`;
}
