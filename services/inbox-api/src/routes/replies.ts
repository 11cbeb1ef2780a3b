import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ReplyAccepted, ReplyBody } from '@sapa/contracts';
import { toMessageDto } from '@sapa/db';
import { findMessageInConversation } from '@sapa/db/queries/message-replies';
import { createOutboundMessage } from '@sapa/db/queries/outbound-messages';
import { outboundQueueFor } from '@sapa/queue';
import { Forbidden } from '@sapa/service-kit';
import { canReply } from '../access/conversation-access.js';
import { factsOf, visibleConversation } from '../access/visible-conversation.js';
import { toConversationDto } from '../dto/conversation-dto.js';
import { ChannelCannotSend, ConversationClosed, InvalidReplyTarget } from '../errors.js';
import { messageCreated, publishAll } from '../live/domain-events.js';
import { requireOpenServiceWindow, storeTemplateReply } from '../whatsapp/service-window-guard.js';
import { EmptyReply } from '../attachments/attachment-errors.js';
import { linkSigner, withAttachmentLinks } from '../attachments/inbox-files.js';
import { resolveReplyAttachments } from '../attachments/reply-attachments.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import { IdParams, type RouteOptions } from './route-deps.js';

/** `POST /v1/conversations/{id}/messages`: an agent's reply, stored and handed to the channel's outbound queue. */
export const replyRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps, files }) => {
  app.addHook('onRequest', app.authenticate);

  app.post(
    '/v1/conversations/:id/messages',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Reply to the customer',
        description:
          'Only the assignee or a leader of the conversation\'s team may reply (else 403). A closed conversation is 409 `conversation_closed`; a channel that cannot send yet is 409 `channel_cannot_send`. On whatsapp_cloud, text to a customer who last wrote more than 24 hours ago is 409 `outside_service_window` (details: lastCustomerMessageAt, windowClosedAt); send `{template: {name, language, components?}}` instead (an approved WhatsApp template; on other channels 400 `template_not_supported`). `replyToMessageId` answers a particular message of the conversation (422 `invalid_reply_target` when it is not one): the channel shows it as a quote where it can (WhatsApp, Telegram, live chat, email threading), else the reply goes plain.',
        params: IdParams,
        body: ReplyBody,
        response: { 201: ReplyAccepted, ...errorResponses(400, ...AUTHED, 404, 409, 422) },
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

      const body = request.body;
      if (!('template' in body) && body.text === undefined && (body.attachments ?? []).length === 0) throw EmptyReply();
      const replyTo = 'template' in body ? undefined : body.replyToMessageId;
      if (replyTo && !(await findMessageInConversation(deps.db, tenantId, conversation.id, replyTo))) throw InvalidReplyTarget(undefined, { replyToMessageId: replyTo });
      // WhatsApp Cloud: free text only within 24 h of the customer's last message; a template at any time.
      if (!('template' in body)) await requireOpenServiceWindow(deps.db, conversation, new Date());
      const { message, delivery } =
        'template' in body
          ? await storeTemplateReply(deps.db, tenantId, userId, conversation, body.template)
          : await createOutboundMessage(deps.db, tenantId, {
              conversationId: conversation.id,
              channelId: conversation.channel_id,
              authorType: 'agent',
              authorId: userId,
              text: body.text ?? null,
              attachments: await resolveReplyAttachments(deps.db, tenantId, body.attachments ?? []),
              replyToMessageId: replyTo ?? null,
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
      const shown = withAttachmentLinks(toMessageDto(message), linkSigner(files, request, tenantId));
      await publishAll(deps.eventBus, request.log, [messageCreated(tenantId, dto, shown)]);
      return reply.status(201).send({ id: message.id, status: 'queued' as const });
    },
  );
};
