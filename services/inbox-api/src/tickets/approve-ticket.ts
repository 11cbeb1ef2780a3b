import type { Role } from '@sapa/contracts';
import type { Playbook } from '@sapa/handling';
import { hasRole } from '../auth/principal.js';
import type { TicketViewer } from './ticket-access.js';

/** How an approver qualifies for a gate: by a role the gate names, or by belonging to a team it names. */
export interface ApproverMatch {
  role: Role | null;
  teamKey: string | null;
}

/**
 * Whether the viewer may approve this gate of the playbook (POST /v1/tickets/{id}/approvals): the gate must hold an
 * approval check (else `no_approval_check`), and the viewer must have one of its roles or belong to one of its
 * teams (else `not_an_approver`). The bon gate names the `supervisor` team and team leaders (the seed's "atasan").
 */
export function approverFor(playbook: Playbook, gateKey: string, viewer: TicketViewer): ApproverMatch | 'no_approval_check' | 'not_an_approver' {
  const checks = playbook.gates.find((g) => g.key === gateKey)?.checks.filter((c) => c.kind === 'approval') ?? [];
  if (checks.length === 0) return 'no_approval_check';
  for (const check of checks) {
    const role = (check.approverRoles ?? []).find((r) => hasRole(viewer, r));
    if (role) return { role, teamKey: null };
    const teamKey = (check.approverTeams ?? []).find((t) => viewer.teamKeys.includes(t));
    if (teamKey) return { role: null, teamKey };
  }
  return 'not_an_approver';
}
