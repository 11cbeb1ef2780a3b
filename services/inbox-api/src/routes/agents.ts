import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AgentList, PresenceBody, PresenceResponse } from '@sapa/contracts';
import { listAgentViews } from '@sapa/db/queries/agent-views';
import { setPresence } from '@sapa/db/queries/agents';
import { teamsOfUsers } from '@sapa/db/queries/teams';
import { requireRole } from '../auth/auth-plugin.js';
import { hasRole } from '../auth/principal.js';
import { requestDrain } from '../drain.js';
import { toAgentDto, type TeamRef } from '../dto/agent-dto.js';
import { NotAnAgent } from '../errors.js';
import { agentUpdated, publishAll } from '../live/domain-events.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import type { RouteOptions } from './route-deps.js';

/** `PUT /v1/agents/me/presence` and `GET /v1/agents` (api-contract.md §Agents). */
export const agentRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.addHook('onRequest', app.authenticate);

  app.put(
    '/v1/agents/me/presence',
    {
      schema: {
        tags: ['agents'],
        summary: "Set the caller's presence; going online lets the router assign waiting conversations at once",
        description: 'A user without an agent profile gets 403 `not_an_agent`.',
        body: PresenceBody,
        response: { 200: PresenceResponse, ...errorResponses(400, ...AUTHED) },
      },
    },
    async (request) => {
      const { tenantId, userId, name, teamIds } = request.principal;
      const { status } = request.body;
      const agent = await setPresence(deps.db, tenantId, userId, status);
      if (!agent) throw NotAnAgent();
      request.log.info({ tenantId, userId, status }, 'presence changed');
      if (status === 'online') await requestDrain(deps.producer, request.log, tenantId, [...teamIds], 'agent_online');
      await publishAll(deps.eventBus, request.log, agentUpdated(tenantId, { id: userId, name, status }, [...teamIds]));
      return { status: agent.presence };
    },
  );

  app.get(
    '/v1/agents',
    {
      onRequest: requireRole('team_leader', 'admin', 'quality_control'),
      schema: {
        tags: ['agents'],
        summary: 'Agents with presence and load: all of them for admins and QC, those of the teams they lead for team leaders',
        response: { 200: AgentList, ...errorResponses(...AUTHED) },
      },
    },
    async (request) => {
      const viewer = request.principal;
      const seesAll = hasRole(viewer, 'admin', 'quality_control');
      const agents = await listAgentViews(deps.db, viewer.tenantId, seesAll ? {} : { teamIds: [...viewer.leaderOfTeamIds] });
      const memberships = await teamsOfUsers(deps.db, viewer.tenantId, agents.map((a) => a.user_id));
      const teamsByUser = new Map<string, TeamRef[]>();
      for (const m of memberships) {
        const list = teamsByUser.get(m.user_id) ?? [];
        list.push({ id: m.id, key: m.key, name: m.name });
        teamsByUser.set(m.user_id, list);
      }
      return { items: agents.map((a) => toAgentDto(a, teamsByUser.get(a.user_id) ?? [])) };
    },
  );
};
