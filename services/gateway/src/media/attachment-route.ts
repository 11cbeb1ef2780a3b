import type { FastifyPluginAsync } from 'fastify';
import { openSignedAttachment, type SignedAccessDeps } from '@sapa/attachments';
import { NotFound } from '@sapa/service-kit';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `GET /attachments/{id}?expires&signature`: a stored file for whoever holds a link the gateway signed (a channel
 * that fetches by URL, such as WhatsApp Cloud's `link`; an integrator's callback). No other credential: the
 * signature is the authority (403 `invalid_signature` / `link_expired`, 404 for an unknown file).
 */
export const attachmentRoute: FastifyPluginAsync<SignedAccessDeps & { now: () => Date }> = async (app, deps) => {
  app.get<{ Params: { id: string }; Querystring: Record<string, unknown> }>('/attachments/:id', async (request, reply) => {
    if (!UUID.test(request.params.id)) throw NotFound('no such attachment');
    const opened = await openSignedAttachment(deps, request.params.id, request.query, deps.now());
    return reply.headers(opened.headers).send(opened.body);
  });
};
