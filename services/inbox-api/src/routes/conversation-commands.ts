import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CloseBody, ConversationDto, TransferBody } from '@sapa/contracts';
import { teamIdsOf } from '@sapa/db/queries/agents';
import { getTenantSettings } from '@sapa/db/queries/tenant-settings';
import { transferToAgent, transferToTeam, type TransferResult } from '@sapa/db/queries/conversation-commands';
import { findConversationView } from '@sapa/db/queries/conversation-views';
import { toMessageDto } from '@sapa/db';
import { outboundQueueFor } from '@sapa/queue';
import { Forbidden } from '@sapa/service-kit';
import { canManage } from '../access/conversation-access.js';
import { factsOf, visibleConversation } from '../access/visible-conversation.js';
import { requestDrain, startResponseTimer } from '../drain.js';
import { toConversationDto } from '../dto/conversation-dto.js';
import { AgentAtCapacity, AgentNotFound, ConversationClosed, ConversationNotFound, TeamNotFound } from '../errors.js';
import { closeWithClosingText } from '../handling/close-with-closing-text.js';
import { handlingTexts } from '../handling/handling-texts.js';
import { notifyStatusChanged } from '../handling/notify-handling.js';
import { loadTextContext } from '../handling/text-context.js';
import { conversationUpdated, messageCreated, publishAll } from '../live/domain-events.js';
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

/**
 * Transfer and close (api-contract.md §Conversations); each frees or moves capacity, so each asks for a drain,
 * and each tells the ticket service's handling flow (queue `handling`) so the customer's inactivity clock stops.
 */
export const conversationCommandRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps, now }) => {
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
      if (result.conversation.status === 'assigned' && result.conversation.assignee_id !== before.assignee_id) {
        await startResponseTimer(deps.producer, request.log, result.conversation, (await getTenantSettings(deps.db, tenantId)).routing);
      }
      await notifyStatusChanged(deps.producer, request.log, tenantId, before.id, new Date());
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
        summary: 'Close the conversation, sending the closing text (closing a closed one changes nothing)',
        description: `${WHO} Before it closes, the tenant's closing template, filled with the closing phrase of now (salam penutup), goes to the customer as a \`system\` message on the channel (not on a channel type that cannot send yet).`,
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
      const queue = outboundQueueFor(before.channel_type);
      const context = await loadTextContext(deps.db, viewer, before, now());
      const result = await closeWithClosingText(deps.db, tenantId, before.id, {
        actorId: userId,
        reason: request.body.reason ?? null,
        closingText: queue ? handlingTexts(context).closing : null,
        channelType: before.channel_type,
        closingTemplate: context.settings.whatsapp.closingTemplate,
        at: context.at,
      });
      if (!result) throw ConversationNotFound();
      if (!result.closedNow) return currentDto(before.id, tenantId);
      const { sent } = result;
      request.log.info({ tenantId, conversationId: before.id, messageId: sent?.message.id }, 'conversation closed');

      // After commit: the worker must find the rows. Should Redis refuse, the delivery stays `pending` and the
      // gateway's sweeper sends it; the close itself has happened either way.
      if (sent && queue) {
        try {
          const jobId = await deps.producer.add(queue, { tenantId, deliveryId: sent.delivery.id, messageId: sent.message.id, replay: 0 });
          request.log.info({ tenantId, conversationId: before.id, deliveryId: sent.delivery.id, jobId }, 'closing text queued');
        } catch (err) {
          request.log.error({ err, tenantId, conversationId: before.id, deliveryId: sent.delivery.id }, 'could not enqueue the closing text; the sweeper will send it');
        }
      }
      // The agent's freed capacity can take a waiting conversation of any of their teams.
      if (before.assignee_id) {
        await requestDrain(deps.producer, request.log, tenantId, await teamIdsOf(deps.db, tenantId, before.assignee_id), 'conversation_closed');
      }
      await notifyStatusChanged(deps.producer, request.log, tenantId, before.id, new Date());
      const dto = await currentDto(before.id, tenantId);
      await publishAll(deps.eventBus, request.log, [
        ...(sent ? [messageCreated(tenantId, dto, toMessageDto(sent.message))] : []),
        conversationUpdated(tenantId, dto, [before.assignee_id]),
      ]);
      return dto;
    },
  );

  async function currentDto(conversationId: string, tenantId: string) {
    const view = await findConversationView(deps.db, tenantId, conversationId);
    if (!view) throw ConversationNotFound();
    return toConversationDto(view);
  }
};
