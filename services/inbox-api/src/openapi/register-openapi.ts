import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { ConversationDto, ErrorBody, MessageDto, TenantSettings } from '@sapa/contracts';

/**
 * OpenAPI 3 generated from the route schemas (api-contract.md: every route appears at `GET /docs/json`),
 * with Swagger UI at `/docs`. Shared schemas are named by their `$id` in components.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  for (const schema of [ErrorBody, ConversationDto, MessageDto, TenantSettings]) app.addSchema(schema);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Sapa inbox API', version: '1.0.0', description: "Agents' and admins' API (api-contract.md)." },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'a session token from /v1/auth/login or an API token' } } },
      security: [{ bearer: [] }],
      tags: [
        { name: 'auth' },
        { name: 'channels' },
        { name: 'agents' },
        { name: 'conversations' },
        { name: 'deliveries' },
        { name: 'tenant', description: 'tenant settings and holiday calendar' },
        { name: 'live' },
      ],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
