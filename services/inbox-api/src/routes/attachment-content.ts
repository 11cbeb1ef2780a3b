import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { openSignedAttachment } from '@sapa/attachments';
import { SignedLinkQuery } from '@sapa/contracts';
import type { InboxFiles } from '../attachments/inbox-files.js';
import { errorResponses } from '../openapi/error-responses.js';
import { IdParams, type RouteOptions } from './route-deps.js';

/**
 * `GET /v1/attachments/{id}/content?expires&signature`: the bytes of a stored file, for whoever holds a link the
 * inbox API signed (the message listing hands them out). No bearer token: the link is the authority, so it can be
 * opened by a browser tab, an <img>, or a download manager.
 */
export const attachmentContentRoutes: FastifyPluginAsyncTypebox<RouteOptions & { files: InboxFiles }> = async (app, { deps, now, files }) => {
  app.get(
    '/v1/attachments/:id/content',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Download a stored file through a signed link',
        description:
          'The link comes from a message listing (`attachments[].url`) and is valid 15 minutes. No bearer token: the signature is the authority. ' +
          'A changed or foreign link is 403 `invalid_signature`, an old one 403 `link_expired` (list the messages again for a fresh one); an unknown file 404 `attachment_not_found`. ' +
          'The file comes as a download (`Content-Disposition: attachment`), with `X-Content-Type-Options: nosniff` and a private cache no longer than the link lives.',
        security: [],
        params: IdParams,
        querystring: SignedLinkQuery,
        response: {
          200: { description: 'the file', content: { 'application/octet-stream': { schema: Type.String({ format: 'binary' }) } } },
          ...errorResponses(400, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const opened = await openSignedAttachment({ db: deps.db, store: files.store, signingKey: files.signingKey }, request.params.id, request.query, now());
      // The 200 schema documents bytes as a binary string; fastify streams a Readable as it is.
      return reply.headers(opened.headers).send(opened.body as unknown as string);
    },
  );
};
