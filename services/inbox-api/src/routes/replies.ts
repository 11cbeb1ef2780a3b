import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ReplyAccepted, ReplyBody } from '@sapa/contracts';
import { toMessageDto } from '@sapa/db';
import { createOutboundMessage } from '@sapa/db/queries/outbound-messages';
import { outboundQueueFor } from '@sapa/queue';
import { Forbidden } from '@sapa/service-kit';
import { canReply } from '../access/conversation-access.js';
import { factsOf, visibleConversation } from '../access/visible-conversation.js';
import { toConversationDto } from '../dto/conversation-dto.js';
import { ChannelCannotSend, ConversationClosed } from '../errors.js';
import { messageCreated, publishAll } from '../live/domain-events.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import { IdParams, type RouteOptions } from './route-deps.js';

/** `POST /v1/conversations/{id}/messages`: an agent's reply, stored and handed to the channel's outbound queue. */
export const replyRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.addHook('onRequest', app.authenticate);

  app.post(
    '/v1/conversations/:id/messages',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Reply to the customer',
        description:
          'Only the assignee or a leader of the conversation\'s team may reply (else 403). A closed conversation is 409 `conversation_closed`; a channel that cannot send yet is 409 `channel_cannot_send`.',
        params: IdParams,
        body: ReplyBody,
        response: { 201: ReplyAccepted, ...errorResponses(400, ...AUTHED, 404, 409) },
      },
    },
    async (request, reply) => {
      const viewer = request.principal;
      const { tenantId, userId } = viewer;
      const conversation = await visibleConversation(deps.db, viewer, request.params.id);
      if (!canReply(viewer, factsOf(conversation))) throw Forbidden('only the assignee or a leader of its team may reply');
      if (conversation.status === 'closed') throw ConversationClosed();
      const queue = outboundQueueFor(conversation.channel_type);
      if (!queue) throw ChannelCannotSend(undefined, { channelType: conversation.channel_type });

      const { text, attachments = [] } = request.body;
      const { message, delivery } = await createOutboundMessage(deps.db, tenantId, {
        conversationId: conversation.id,
        channelId: conversation.channel_id,
        authorType: 'agent',
        authorId: userId,
        text,
        attachments,
      });
      // After commit: the worker must find the rows. Should Redis refuse here, the delivery stays `pending`
      // and the gateway's sweeper re-enqueues it.
      const jobId = await deps.producer.add(queue, { tenantId, deliveryId: delivery.id, messageId: message.id, replay: 0 });
      request.log.info({ tenantId, conversationId: conversation.id, messageId: message.id, deliveryId: delivery.id, jobId }, 'reply queued');
      // The agent's word starts (or restarts) the customer's inactivity clock in the ticket service.
      await deps.producer.add('handling', {
        tenantId,
        conversationId: conversation.id,
        type: 'agent_message',
        messageId: message.id,
        at: message.created_at.toISOString(),
      });
      const dto = toConversationDto({ ...conversation, last_message_at: message.created_at });
      await publishAll(deps.eventBus, request.log, [messageCreated(tenantId, dto, toMessageDto(message))]);
      return reply.status(201).send({ id: message.id, status: 'queued' as const });
    },
  );
};
