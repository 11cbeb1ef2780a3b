import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LoginBody, LoginResponse, UserDto } from '@sapa/contracts';
import { hashPassword, hashToken, newToken, verifyPassword } from '@sapa/db';
import { insertAuthToken } from '@sapa/db/queries/auth-tokens';
import { findUser, findUserForLogin } from '@sapa/db/queries/users';
import { Unauthorized } from '@sapa/service-kit';
import { toUserDto } from '../dto/user-dto.js';
import { InvalidCredentials } from '../errors.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import type { RouteOptions } from './route-deps.js';

/** `POST /v1/auth/login` and `GET /v1/auth/me` (api-contract.md §Auth). */
export const authRoutes: FastifyPluginAsyncTypebox<RouteOptions & { sessionTtlSeconds: number }> = async (app, { deps, sessionTtlSeconds }) => {
  // An unknown email still pays for one argon2 verify, so timing does not tell which emails exist.
  let decoyHash: Promise<string> | undefined;

  app.post(
    '/v1/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in with email and password; returns a session token',
        security: [],
        body: LoginBody,
        response: { 200: LoginResponse, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const { email, password } = request.body;
      const user = await findUserForLogin(deps.db, email);
      const storedHash = user?.is_active ? user.password_hash : null;
      const matches = storedHash
        ? await verifyPassword(storedHash, password)
        : await verifyPassword(await (decoyHash ??= hashPassword(newToken())), password).then(() => false);
      if (!user || !matches) throw InvalidCredentials();
      const token = newToken();
      await insertAuthToken(deps.db, user.tenant_id, {
        userId: user.id,
        kind: 'session',
        tokenHash: hashToken(token),
        expiresAt: new Date(Date.now() + sessionTtlSeconds * 1000),
      });
      request.log.info({ tenantId: user.tenant_id, userId: user.id }, 'logged in');
      return { token, user: toUserDto(user) };
    },
  );

  app.get(
    '/v1/auth/me',
    {
      onRequest: app.authenticate,
      schema: { tags: ['auth'], summary: 'The user behind the bearer token', response: { 200: UserDto, ...errorResponses(...AUTHED) } },
    },
    async (request) => {
      const { tenantId, userId, roles } = request.principal;
      const user = await findUser(deps.db, tenantId, userId);
      if (!user) throw Unauthorized();
      // An API token acts with its own roles; show those.
      return toUserDto({ ...user, roles: [...roles] });
    },
  );
};
