import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CloseBody, ConversationDto, TransferBody } from '@sapa/contracts';
import { teamIdsOf } from '@sapa/db/queries/agents';
import { closeConversation, transferToAgent, transferToTeam, type TransferResult } from '@sapa/db/queries/conversation-commands';
import { findConversationView } from '@sapa/db/queries/conversation-views';
import { Forbidden } from '@sapa/service-kit';
import { canManage } from '../access/conversation-access.js';
import { factsOf, visibleConversation } from '../access/visible-conversation.js';
import { requestDrain } from '../drain.js';
import { toConversationDto } from '../dto/conversation-dto.js';
import { AgentAtCapacity, AgentNotFound, ConversationClosed, ConversationNotFound, TeamNotFound } from '../errors.js';
import { conversationUpdated, publishAll } from '../live/domain-events.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import { IdParams, type RouteOptions } from './route-deps.js';

const WHO = 'The assignee, a leader of the conversation\'s team, or an admin (else 403).';

const REFUSALS = {
  not_found: ConversationNotFound,
  closed: ConversationClosed,
  agent_not_found: AgentNotFound,
  team_not_found: TeamNotFound,
  agent_at_capacity: AgentAtCapacity,
} as const;

/** Transfer and close (api-contract.md §Conversations); each frees or moves capacity, so each asks for a drain. */
export const conversationCommandRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.addHook('onRequest', app.authenticate);

  app.post(
    '/v1/conversations/:id/transfer',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Hand the conversation to an agent, or put it in a team\'s queue',
        description: `${WHO} An agent without room is 409 \`agent_at_capacity\`; an unknown agent or team is 404.`,
        params: IdParams,
        body: TransferBody,
        response: { 200: ConversationDto, ...errorResponses(400, ...AUTHED, 404, 409) },
      },
    },
    async (request) => {
      const viewer = request.principal;
      const { tenantId, userId } = viewer;
      const before = await visibleConversation(deps.db, viewer, request.params.id);
      if (!canManage(viewer, factsOf(before))) throw Forbidden(WHO);
      if (before.status === 'closed') throw ConversationClosed();
      const body = request.body;
      const opts = { actorId: userId, note: body.note ?? null };
      const result: TransferResult =
        'agentId' in body
          ? await transferToAgent(deps.db, tenantId, before.id, body.agentId, opts)
          : await transferToTeam(deps.db, tenantId, before.id, body.teamId, opts);
      if (!result.ok) throw REFUSALS[result.reason]();
      request.log.info({ tenantId, conversationId: before.id, toAgent: 'agentId' in body, toTeam: 'teamId' in body }, 'conversation transferred');

      const targetTeams = 'teamId' in body ? [body.teamId] : [];
      await requestDrain(deps.producer, request.log, tenantId, [...result.freedTeamIds, ...targetTeams], 'transfer');
      const dto = await currentDto(before.id, tenantId);
      await publishAll(deps.eventBus, request.log, [conversationUpdated(tenantId, dto, [before.assignee_id])]);
      return dto;
    },
  );

  app.post(
    '/v1/conversations/:id/close',
    {
      // The reason is optional, so a close may come without a body at all.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags: ['conversations'],
        summary: 'Close the conversation (closing a closed one changes nothing)',
        description: WHO,
        params: IdParams,
        body: CloseBody,
        response: { 200: ConversationDto, ...errorResponses(400, ...AUTHED, 404) },
      },
    },
    async (request) => {
      const viewer = request.principal;
      const { tenantId, userId } = viewer;
      const before = await visibleConversation(deps.db, viewer, request.params.id);
      if (!canManage(viewer, factsOf(before))) throw Forbidden(WHO);
      if (before.status === 'closed') return toConversationDto(before);
      const closed = await closeConversation(deps.db, tenantId, before.id, { actorId: userId, reason: request.body.reason ?? null });
      if (!closed) throw ConversationNotFound();
      request.log.info({ tenantId, conversationId: before.id }, 'conversation closed');

      // The agent's freed capacity can take a waiting conversation of any of their teams.
      if (before.assignee_id) {
        await requestDrain(deps.producer, request.log, tenantId, await teamIdsOf(deps.db, tenantId, before.assignee_id), 'conversation_closed');
      }
      const dto = await currentDto(before.id, tenantId);
      await publishAll(deps.eventBus, request.log, [conversationUpdated(tenantId, dto, [before.assignee_id])]);
      return dto;
    },
  );

  async function currentDto(conversationId: string, tenantId: string) {
    const view = await findConversationView(deps.db, tenantId, conversationId);
    if (!view) throw ConversationNotFound();
    return toConversationDto(view);
  }
};
