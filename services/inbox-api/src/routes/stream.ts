import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { SocketHub } from '../live/socket-hub.js';
import { errorResponses } from '../openapi/error-responses.js';
import type { RouteOptions } from './route-deps.js';

/**
 * `GET /v1/stream` (api-contract.md §Live events): sockets join the app's hub, which gets every event
 * through Redis (so any instance may hold any user's socket) and sends each only where it may be seen.
 */
export const streamRoutes: FastifyPluginAsyncTypebox<RouteOptions & { hub: SocketHub }> = async (app, { hub }) => {
  app.route({
    method: 'GET',
    url: '/v1/stream',
    config: { tokenInQuery: true },
    onRequest: app.authenticate,
    schema: {
      tags: ['live'],
      summary: 'Live events as a WebSocket',
      description:
        'Upgrade to a WebSocket with the token in `Authorization: Bearer` or `?token=`. Frames are JSON `{type, data}`; ' +
        'each event reaches only users allowed to see it. The server pings; a socket whose token is revoked is closed with 4401. ' +
        'A plain GET without the upgrade is 426 `upgrade_required`.',
      querystring: Type.Object({ token: Type.Optional(Type.String()) }),
      response: { 101: Type.Null({ description: 'switching to the WebSocket protocol' }), ...errorResponses(401), 426: UpgradeRequiredBody },
    },
    // `wsHandler` with a plain `handler` (rather than `websocket: true`, which hides the route) keeps the
    // stream in the OpenAPI document.
    handler: async (_request, reply) => reply.status(426).header('upgrade', 'websocket').send(upgradeRequired),
    wsHandler: (socket, request) => {
      hub.add(socket, request.principal);
      request.log.info({ tenantId: request.principal.tenantId, userId: request.principal.userId, sockets: hub.size() }, 'stream opened');
    },
  });
};

const upgradeRequired = { error: { code: 'upgrade_required', message: 'connect with a WebSocket client (Upgrade: websocket)' } };
const UpgradeRequiredBody = { ...errorResponses(401)[401]!, description: 'not a WebSocket upgrade (`upgrade_required`)' };
