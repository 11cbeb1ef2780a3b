import type { DrainRequest } from '@sapa/contracts';
import { teamsWithQueue } from '@sapa/db/queries/conversations';
import { announceAssignments, type AnnounceDeps } from './announce-assignments.js';
import { drainTeam } from './assign-conversation.js';

/** Marks the periodic sweep job: it drains every team with a queue, across tenants. */
export const SWEEP_TENANT = '*';

export type DrainDeps = AnnounceDeps;

/**
 * The `routing` processor: hands queued conversations to agents who gained room (went online, closed or
 * transferred a conversation). The periodic sweep catches anything a lost drain job would have missed.
 */
export function drainProcessor(deps: DrainDeps) {
  return async (req: DrainRequest): Promise<number> => {
    const work =
      req.tenantId === SWEEP_TENANT
        ? (await teamsWithQueue(deps.db)).filter((t): t is { tenant_id: string; team_id: string } => t.team_id !== null)
        : req.teamIds.map((team_id) => ({ tenant_id: req.tenantId, team_id }));
    let count = 0;
    for (const { tenant_id, team_id } of work) {
      const assigned = await drainTeam(deps.db, tenant_id, team_id, 1000, deps.allocators);
      count += assigned.length;
      await announceAssignments(deps, assigned);
    }
    return count;
  };
}
