import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AgentDto, AgentList, AgentProfileBody, PresenceBody, PresenceResponse } from '@sapa/contracts';
import { findAgentView, listAgentViews } from '@sapa/db/queries/agent-views';
import {
  findAgent,
  lockAgents,
  membershipsOf,
  replaceMemberships,
  setPresence,
  unknownTeamIds,
  updateAgentProfile,
  type AgentProfileChange,
} from '@sapa/db/queries/agents';
import { recordAudit } from '@sapa/db/queries/audit-log';
import type { Db } from '@sapa/db/queries/db-handle';
import { findAgentByExtension } from '@sapa/db/queries/voice-calls';
import { teamsOfUsers } from '@sapa/db/queries/teams';
import { Forbidden } from '@sapa/service-kit';
import { requireRole } from '../auth/auth-plugin.js';
import { hasRole, type Viewer } from '../auth/principal.js';
import { requestDrain } from '../drain.js';
import { toAgentDto, type TeamRef } from '../dto/agent-dto.js';
import { AgentNotFound, ExtensionTaken, NotAnAgent, TeamNotFound, ValidationFailed } from '../errors.js';
import { agentUpdated, publishAll } from '../live/domain-events.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import { IdParams, type RouteOptions } from './route-deps.js';

/** `PUT /v1/agents/me/presence`, `GET /v1/agents` (api-contract.md §Agents) and `PUT /v1/agents/{id}` (§Routing). */
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
      const teamsByUser = await teamRefsOf(deps.db, viewer.tenantId, agents.map((a) => a.user_id));
      return { items: agents.map((a) => toAgentDto(a, teamsByUser.get(a.user_id) ?? [])) };
    },
  );

  app.put(
    '/v1/agents/:id',
    {
      onRequest: requireRole('admin', 'team_leader'),
      schema: {
        tags: ['agents'],
        summary: "Set an agent's skills, languages, capacity, teams and PBX extension",
        description:
          'Any subset: `skills` and `languages` replace the agent’s, `capacity` is merged bucket by bucket, `teams` replaces the agent’s teams (a kept team keeps its leader flag; a new one is a plain membership). ' +
          'A team leader edits only agents of a team they lead and adds or removes only teams they lead (else 403 `forbidden`). ' +
          'A skill key given twice is 400 `validation_failed` naming `skills[i].key`; an id that is no agent of the tenant is 404 `agent_not_found`, a team that is not the tenant’s 404 `team_not_found`; nothing changes on any refusal. ' +
          '`extension` (digits, or null to clear) is the agent’s PBX extension: voice call events naming it are the agent’s calls; one held by another agent of the tenant is 409 `extension_taken`. ' +
          'Audit-logged; more capacity, a new team or new skills or languages ask the router to drain the agent’s teams; publishes `agent.updated`.',
        params: IdParams,
        body: AgentProfileBody,
        response: { 200: AgentDto, ...errorResponses(400, ...AUTHED, 404, 409) },
      },
    },
    async (request) => {
      const viewer = request.principal;
      const { tenantId } = viewer;
      const agentId = request.params.id;
      const change = profileChange(request.body);
      const { result, dto } = await deps.db.transaction().execute(async (trx) => {
        const result = await applyProfile(trx, viewer, agentId, change, request.body.teams);
        return { result, dto: await agentDto(trx, tenantId, agentId) };
      });
      request.log.info({ tenantId, agentId, changed: Object.keys(request.body), teamsAdded: result.added.length, teamsRemoved: result.removed.length }, 'agent profile updated');
      if (result.mayTakeMore) await requestDrain(deps.producer, request.log, tenantId, result.teamIds, 'agent_profile');
      // The teams it left hear of it too: their leaders see the agent go.
      await publishAll(deps.eventBus, request.log, agentUpdated(tenantId, dto, [...new Set([...result.teamIds, ...result.removed])]));
      return dto;
    },
  );
};

async function teamRefsOf(db: Db, tenantId: string, userIds: string[]): Promise<Map<string, TeamRef[]>> {
  const byUser = new Map<string, TeamRef[]>();
  for (const m of await teamsOfUsers(db, tenantId, userIds)) {
    const list = byUser.get(m.user_id) ?? [];
    list.push({ id: m.id, key: m.key, name: m.name });
    byUser.set(m.user_id, list);
  }
  return byUser;
}

/** The agent as the API shows it; the row is there (the caller holds its lock). */
async function agentDto(db: Db, tenantId: string, agentId: string): Promise<AgentDto> {
  const view = await findAgentView(db, tenantId, agentId);
  if (!view) throw AgentNotFound();
  return toAgentDto(view, (await teamRefsOf(db, tenantId, [agentId])).get(agentId) ?? []);
}

/** The body as a profile change; a skill named twice is refused (the stored map holds one level per key). */
function profileChange(body: AgentProfileBody): AgentProfileChange {
  const change: AgentProfileChange = {};
  if (body.skills !== undefined) {
    const skills: Record<string, number> = {};
    const firstAt = new Map<string, number>();
    const errors = body.skills.flatMap(({ key }, i) => {
      if (!firstAt.has(key)) firstAt.set(key, i);
      return firstAt.get(key) === i ? [] : [{ path: `skills[${i}].key`, message: `repeats skills[${firstAt.get(key)}]; give each skill once` }];
    });
    if (errors.length > 0) throw ValidationFailed(`invalid skills: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, { errors });
    for (const { key, level } of body.skills) skills[key] = level;
    change.skills = skills;
  }
  if (body.languages !== undefined) change.languages = body.languages;
  if (body.capacity !== undefined) change.capacity = body.capacity;
  if (body.extension !== undefined) change.extension = body.extension;
  return change;
}

interface ProfileResult {
  /** The agent's teams after the change. */
  teamIds: string[];
  added: string[];
  removed: string[];
  /** More capacity, a new team, changed skills or languages: queued conversations may now fit the agent. */
  mayTakeMore: boolean;
}

/**
 * Checks who may change what and writes it, in the caller's transaction (so any refusal leaves everything as it
 * was). The agent row is locked, so two edits of one agent apply one after the other.
 */
async function applyProfile(trx: Db, viewer: Viewer, agentId: string, change: AgentProfileChange, teams: string[] | undefined): Promise<ProfileResult> {
  const { tenantId, leaderOfTeamIds } = viewer;
  await lockAgents(trx, tenantId, [agentId]);
  const before = await findAgent(trx, tenantId, agentId);
  if (!before) throw AgentNotFound();
  const teamsBefore = (await membershipsOf(trx, tenantId, agentId)).map((m) => m.teamId);
  const admin = hasRole(viewer, 'admin');
  if (!admin && !teamsBefore.some((id) => leaderOfTeamIds.includes(id))) throw Forbidden('a team leader edits only agents of a team they lead');

  let added: string[] = [];
  let removed: string[] = [];
  if (teams !== undefined) {
    const unknown = await unknownTeamIds(trx, tenantId, teams);
    if (unknown.length > 0) throw TeamNotFound(undefined, { teamIds: unknown });
    added = teams.filter((id) => !teamsBefore.includes(id));
    removed = teamsBefore.filter((id) => !teams.includes(id));
    const notLed = [...added, ...removed].filter((id) => !leaderOfTeamIds.includes(id));
    if (!admin && notLed.length > 0) throw Forbidden('a team leader adds and removes only teams they lead', { teamIds: notLed });
    await replaceMemberships(trx, tenantId, agentId, teams);
  }
  if (change.extension) {
    const holder = await findAgentByExtension(trx, tenantId, change.extension);
    if (holder && holder !== agentId) throw ExtensionTaken(undefined, { extension: change.extension });
  }
  if (Object.keys(change).length > 0) await updateAgentProfile(trx, tenantId, agentId, change);
  await recordAudit(trx, tenantId, {
    actorId: viewer.userId,
    action: 'agent.updated',
    targetType: 'agent',
    targetId: agentId,
    details: { changed: [...Object.keys(change), ...(teams !== undefined ? ['teams'] : [])], teamsAdded: added, teamsRemoved: removed },
  });

  const capacity = change.capacity ?? {};
  const capacityGrew =
    (capacity.chat ?? 0) > before.capacity_chat || (capacity.email ?? 0) > before.capacity_email || (capacity.voice ?? 0) > before.capacity_voice;
  const skillsOrLanguages = change.skills !== undefined || change.languages !== undefined;
  return { teamIds: teams ?? teamsBefore, added, removed, mayTakeMore: capacityGrew || added.length > 0 || skillsOrLanguages };
}
