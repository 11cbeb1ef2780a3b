import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CreateApiTokenBody, CreatedApiToken } from '@sapa/contracts';
import { hashToken, newToken } from '@sapa/db';
import { recordAudit } from '@sapa/db/queries/audit-log';
import { insertAuthToken } from '@sapa/db/queries/auth-tokens';
import { requireRole } from '../auth/auth-plugin.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import type { RouteOptions } from './route-deps.js';

/** `POST /v1/api-tokens` (admin): a long-lived token with the roles given, owned by the admin; shown once. */
export const apiTokenRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.post(
    '/v1/api-tokens',
    {
      onRequest: [app.authenticate, requireRole('admin')],
      schema: {
        tags: ['auth'],
        summary: 'Create an API token (shown once)',
        body: CreateApiTokenBody,
        response: { 201: CreatedApiToken, ...errorResponses(400, ...AUTHED) },
      },
    },
    async (request, reply) => {
      const { tenantId, userId } = request.principal;
      const { name, roles } = request.body;
      const token = newToken();
      const created = await deps.db.transaction().execute(async (trx) => {
        const row = await insertAuthToken(trx, tenantId, { userId, kind: 'api', name, roles, tokenHash: hashToken(token) });
        await recordAudit(trx, tenantId, { actorId: userId, action: 'api_token.created', targetType: 'auth_token', targetId: row.id, details: { name, roles } });
        return row;
      });
      request.log.info({ tenantId, tokenId: created.id }, 'api token created');
      return reply.status(201).send({ id: created.id, token });
    },
  );
};
