import type { FastifyRequest } from 'fastify';

/**
 * The bearer token of a request: from `Authorization: Bearer <token>`, or, on routes that allow it
 * (the WebSocket, where browsers cannot set headers), from `?token=`.
 */
export function bearerToken(request: FastifyRequest, allowQuery: boolean): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1];
  }
  if (!allowQuery) return undefined;
  const token = (request.query as Record<string, unknown> | undefined)?.token;
  return typeof token === 'string' && token.length > 0 ? token : undefined;
}
