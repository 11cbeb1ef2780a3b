import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { conversationTyping } from '@sapa/contracts';
import { Forbidden } from '@sapa/service-kit';
import { canReply } from '../access/conversation-access.js';
import { factsOf, visibleConversation } from '../access/visible-conversation.js';
import { ConversationClosed } from '../errors.js';
import { publishAll } from '../live/domain-events.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import { IdParams, type RouteOptions } from './route-deps.js';

const TypingBody = Type.Object({ typing: Type.Boolean() }, { additionalProperties: false });
const TypingAccepted = Type.Object({ typing: Type.Boolean() });

/**
 * `POST /v1/conversations/{id}/typing` `{typing}`: the agent started or stopped typing a reply. Published as
 * `conversation.typing` to the conversation's team and assignee; a live chat visitor sees "Agent is typing…" (the
 * gateway listens). Nothing is stored; an inbox sends `true` at most every few seconds while keys are pressed.
 */
export const typingRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.addHook('onRequest', app.authenticate);

  app.post(
    '/v1/conversations/:id/typing',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Tell the customer the agent is typing',
        description:
          "Only the assignee or a leader of the conversation's team (else 403); a closed conversation is 409 `conversation_closed`. Answers `202 {typing}`; the live chat widget shows it, other channels ignore it.",
        params: IdParams,
        body: TypingBody,
        response: { 202: TypingAccepted, ...errorResponses(400, ...AUTHED, 404, 409) },
      },
    },
    async (request, reply) => {
      const viewer = request.principal;
      const conversation = await visibleConversation(deps.db, viewer, request.params.id);
      if (!canReply(viewer, factsOf(conversation))) throw Forbidden('only the assignee or a leader of its team may type in it');
      if (conversation.status === 'closed') throw ConversationClosed();
      const { typing } = request.body;
      await publishAll(deps.eventBus, request.log, [
        conversationTyping(
          viewer.tenantId,
          { id: conversation.id, channelId: conversation.channel_id, channelType: conversation.channel_type, teamId: conversation.team_id, assigneeId: conversation.assignee_id },
          { type: 'agent', id: viewer.userId, name: request.principal.name },
          typing,
        ),
      ]);
      return reply.status(202).send({ typing });
    },
  );
};
