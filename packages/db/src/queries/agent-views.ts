import type { Agent } from '../schema.js';
import type { Db } from './db-handle.js';

/** An agent as admins and team leaders list them: the agents row with the user's name. */
export type AgentView = Agent & { name: string };

/** One agent of the tenant with the user's name; undefined when the user is not an agent of this tenant. */
export function findAgentView(db: Db, tenantId: string, userId: string): Promise<AgentView | undefined> {
  return db
    .selectFrom('agents as a')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .selectAll('a')
    .select('u.name')
    .where('a.tenant_id', '=', tenantId)
    .where('a.user_id', '=', userId)
    .executeTakeFirst();
}

/**
 * The tenant's agents, by name; with `teamIds`, only members of those teams (a team leader's view).
 */
export function listAgentViews(db: Db, tenantId: string, options: { teamIds?: string[] } = {}): Promise<AgentView[]> {
  let q = db
    .selectFrom('agents as a')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .selectAll('a')
    .select('u.name')
    .where('a.tenant_id', '=', tenantId)
    .where('u.is_active', '=', true);
  if (options.teamIds) {
    const teamIds = options.teamIds;
    if (teamIds.length === 0) return Promise.resolve([]);
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('team_members as m')
          .select('m.user_id')
          .whereRef('m.user_id', '=', 'a.user_id')
          .where('m.tenant_id', '=', tenantId)
          .where('m.team_id', 'in', teamIds),
      ),
    );
  }
  return q.orderBy('u.name').orderBy('a.user_id').execute();
}
