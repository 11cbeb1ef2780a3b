import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { DB } from '@sapa/db';
import { Forbidden, Unauthorized } from '@sapa/service-kit';
import { bearerToken } from './bearer-token.js';
import { hasRole, type Principal } from './principal.js';
import { resolvePrincipal } from './resolve-principal.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `authenticate`; read only on routes that run it. */
    principal: Principal;
  }
  interface FastifyInstance {
    /** onRequest hook: 401 `unauthorized` unless the request carries a live bearer token. */
    authenticate: onRequestHookHandler;
  }
  interface FastifyContextConfig {
    /** The route also takes the token as `?token=` (WebSockets). */
    tokenInQuery?: boolean;
  }
}

/** Decorates the app with `authenticate` and every request with `principal` (visible to all route plugins). */
export const authPlugin = fp<{ db: Kysely<DB> }>(
  async (app, { db }) => {
    app.decorateRequest('principal', null as unknown as Principal);
    app.decorate('authenticate', async function authenticate(request: FastifyRequest) {
      const token = bearerToken(request, request.routeOptions.config.tokenInQuery === true);
      if (!token) throw Unauthorized();
      const principal = await resolvePrincipal(db, token);
      if (!principal) throw Unauthorized('the bearer token is unknown, expired or revoked; log in again');
      request.principal = principal;
    });
  },
  { name: 'sapa-auth' },
);

/** onRequest hook after `authenticate`: 403 `forbidden` unless the caller has one of these roles. */
export function requireRole(...roles: string[]) {
  return async function checkRole(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    if (!hasRole(request.principal, ...roles)) throw Forbidden(`this needs one of the roles: ${roles.join(', ')}`);
  };
}
