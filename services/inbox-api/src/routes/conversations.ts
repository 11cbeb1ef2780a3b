import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ConversationDto, ConversationListQuery, ConversationPage, MessageListQuery, MessagePage } from '@sapa/contracts';
import { toMessageDto } from '@sapa/db';
import { listConversationViews, listMessages } from '@sapa/db/queries/conversation-views';
import { findEmailDetails } from '@sapa/db/queries/email-details';
import { conversationScope } from '../access/conversation-access.js';
import { visibleConversation } from '../access/visible-conversation.js';
import { linkSigner, withAttachmentLinks } from '../attachments/inbox-files.js';
import { decodeCursor, toPage } from '../cursor.js';
import { toConversationDto } from '../dto/conversation-dto.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import { IdParams, type RouteOptions } from './route-deps.js';

const VISIBILITY =
  'Admins and QC see every conversation of the tenant; others see their own, the waiting ones of their teams, and all of the teams they lead.';

/** Reading conversations and their messages (api-contract.md §Conversations). */
export const conversationRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps, files }) => {
  app.addHook('onRequest', app.authenticate);

  app.get(
    '/v1/conversations',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Conversations the caller may see, newest first',
        description: VISIBILITY,
        querystring: ConversationListQuery,
        response: { 200: ConversationPage, ...errorResponses(400, ...AUTHED) },
      },
    },
    async (request) => {
      const viewer = request.principal;
      const { status, assignee, teamId, cursor, limit = 50 } = request.query;
      const rows = await listConversationViews(deps.db, viewer.tenantId, conversationScope(viewer), {
        status,
        assigneeId: assignee === 'me' ? viewer.userId : assignee,
        teamId,
        after: decodeCursor(cursor),
        limit: limit + 1,
      });
      const page = toPage(rows, limit);
      return { items: page.rows.map(toConversationDto), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/conversations/:id',
    {
      schema: {
        tags: ['conversations'],
        summary: 'One conversation',
        description: `${VISIBILITY} An invisible one is 404.`,
        params: IdParams,
        response: { 200: ConversationDto, ...errorResponses(400, ...AUTHED, 404) },
      },
    },
    async (request) => toConversationDto(await visibleConversation(deps.db, request.principal, request.params.id)),
  );

  app.get(
    '/v1/conversations/:id/messages',
    {
      schema: {
        tags: ['conversations'],
        summary: "A conversation's messages, oldest first",
        params: IdParams,
        querystring: MessageListQuery,
        response: { 200: MessagePage, ...errorResponses(400, ...AUTHED, 404) },
      },
    },
    async (request) => {
      const viewer = request.principal;
      const conversation = await visibleConversation(deps.db, viewer, request.params.id);
      const { cursor, limit = 200 } = request.query;
      const rows = await listMessages(deps.db, viewer.tenantId, conversation.id, { after: decodeCursor(cursor), limit: limit + 1 });
      const page = toPage(rows, limit);
      // Each stored file behind a fresh link valid 15 minutes: a listing is how an agent gets a new one.
      const linkOf = linkSigner(files, request, viewer.tenantId);
      const mails = conversation.channel_type === 'email' ? await findEmailDetails(deps.db, viewer.tenantId, page.rows) : undefined;
      const items = page.rows.map((m) => {
        const dto = withAttachmentLinks(toMessageDto(m), linkOf);
        const email = mails?.get(m.id);
        return email ? { ...dto, email } : dto;
      });
      return { items, nextCursor: page.nextCursor };
    },
  );
};
