import type { DomainEvent } from '@sapa/contracts';
import { hasRole, type Viewer } from '../auth/principal.js';

/**
 * Whether a live event may go to this viewer's socket. Pure, so the whole rule is a table test:
 *  1. never across tenants;
 *  2. a user named in `audience.userIds` always sees it;
 *  3. when `audience.leadersOfTeamId` is set, only that team's leaders see it (SLA breach alerts); when
 *     `audience.roles` is set, only users with one of those roles see it (besides the named users);
 *  4. otherwise admins and QC see every event of their tenant, and members (leaders included) of
 *     `audience.teamId` see that team's events. No team and no named user: admins and QC only.
 */
export function canSee(viewer: Viewer, event: Pick<DomainEvent, 'tenantId' | 'audience'>): boolean {
  if (event.tenantId !== viewer.tenantId) return false;
  const { userIds, roles, teamId, leadersOfTeamId } = event.audience;
  if (userIds?.includes(viewer.userId)) return true;
  if (leadersOfTeamId) return viewer.leaderOfTeamIds.includes(leadersOfTeamId);
  if (roles) return hasRole(viewer, ...roles);
  if (hasRole(viewer, 'admin', 'quality_control')) return true;
  if (!teamId) return false;
  return viewer.teamIds.includes(teamId) || viewer.leaderOfTeamIds.includes(teamId);
}
