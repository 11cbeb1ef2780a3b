import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ConversationDto } from '@sapa/contracts';
import { setOnHold } from '@sapa/db/queries/conversation-commands';
import { findConversationView } from '@sapa/db/queries/conversation-views';
import { Forbidden } from '@sapa/service-kit';
import { canReply } from '../access/conversation-access.js';
import { factsOf, visibleConversation } from '../access/visible-conversation.js';
import { toConversationDto } from '../dto/conversation-dto.js';
import { ConversationClosed, ConversationNotAssigned, ConversationNotFound } from '../errors.js';
import { notifyStatusChanged } from '../handling/notify-handling.js';
import { conversationUpdated, publishAll } from '../live/domain-events.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import { IdParams, type RouteOptions } from './route-deps.js';

const REFUSALS = { not_found: ConversationNotFound, closed: ConversationClosed, not_assigned: ConversationNotAssigned } as const;

/**
 * `POST /v1/conversations/{id}/hold` and `/resume`: the agent is checking something and the customer is
 * waiting on them, so the inactivity clock stops (customer-handling.md §Inactivity nudges); resuming with the
 * agent's word last starts it again. The agent keeps the conversation and its capacity meanwhile.
 */
export const holdRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.addHook('onRequest', app.authenticate);

  for (const [action, onHold] of [['hold', true], ['resume', false]] as const) {
    app.post(
      `/v1/conversations/:id/${action}`,
      {
        schema: {
          tags: ['conversations'],
          summary: onHold ? 'Put the conversation on hold (no inactivity nudges meanwhile)' : 'Take the conversation off hold',
          description:
            "The assignee or a leader of the conversation's team (else 403). A queued conversation is 409 `conversation_not_assigned`, a closed one 409 `conversation_closed`; asking for the state it is in changes nothing.",
          params: IdParams,
          response: { 200: ConversationDto, ...errorResponses(400, ...AUTHED, 404, 409) },
        },
      },
      async (request) => {
        const viewer = request.principal;
        const { tenantId, userId } = viewer;
        const before = await visibleConversation(deps.db, viewer, request.params.id);
        if (!canReply(viewer, factsOf(before))) throw Forbidden("only the assignee or a leader of its team may put it on hold or resume it");
        const result = await setOnHold(deps.db, tenantId, before.id, onHold, { actorId: userId });
        if (!result.ok) throw REFUSALS[result.reason]();
        const view = await findConversationView(deps.db, tenantId, before.id);
        if (!view) throw ConversationNotFound();
        const dto = toConversationDto(view);
        if (result.changed) {
          request.log.info({ tenantId, conversationId: before.id, status: dto.status }, onHold ? 'conversation on hold' : 'conversation resumed');
          await notifyStatusChanged(deps.producer, request.log, tenantId, before.id, new Date());
          await publishAll(deps.eventBus, request.log, [conversationUpdated(tenantId, dto)]);
        }
        return dto;
      },
    );
  }
};
