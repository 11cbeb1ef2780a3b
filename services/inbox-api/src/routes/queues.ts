import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { QueueList } from '@sapa/contracts';
import { listQueues } from '@sapa/db/queries/queues';
import { requireRole } from '../auth/auth-plugin.js';
import { hasRole, type Viewer } from '../auth/principal.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import type { RouteOptions } from './route-deps.js';

/**
 * The teams whose queue a viewer may watch: admins and QC every team, a team leader the teams they lead, an agent
 * or Tier 2 the teams they belong to (a user with several roles gets the union). Undefined: every team.
 */
function watchedTeamIds(viewer: Viewer): string[] | undefined {
  if (hasRole(viewer, 'admin', 'quality_control')) return undefined;
  const teams = new Set<string>();
  if (hasRole(viewer, 'team_leader')) for (const id of viewer.leaderOfTeamIds) teams.add(id);
  if (hasRole(viewer, 'agent', 'tier2')) for (const id of viewer.teamIds) teams.add(id);
  return [...teams];
}

/** `GET /v1/queues` (api-contract.md §Routing): how each team's queue stands, for the people who work or watch it. */
export const queueRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.addHook('onRequest', app.authenticate);

  app.get(
    '/v1/queues',
    {
      onRequest: requireRole('admin', 'quality_control', 'team_leader', 'agent', 'tier2'),
      schema: {
        tags: ['routing'],
        summary: 'Waiting conversations, the longest wait and the agents online, per team',
        description:
          'One row per team, by team key: `waiting` conversations (`queued`), `oldestWaitingSeconds` since the oldest of them was queued (0 when none waits), `agentsOnline` among its members. ' +
          'Admins and QC see every team, a team leader the teams they lead, an agent or Tier 2 the teams they belong to.',
        response: { 200: QueueList, ...errorResponses(...AUTHED) },
      },
    },
    async (request) => {
      const teamIds = watchedTeamIds(request.principal);
      return { items: await listQueues(deps.db, request.principal.tenantId, teamIds ? { teamIds } : {}) };
    },
  );
};
