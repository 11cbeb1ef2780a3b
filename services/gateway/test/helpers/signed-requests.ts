import type { FastifyInstance } from 'fastify';
import { signPayload } from '@sapa/contracts';
import { hubSignature } from '../../../../tests/support/fakes/graph-api.js';

/**
 * Posts to a Meta webhook (Messenger, Instagram, WhatsApp Cloud) as Meta does: the raw body (a string is sent as it
 * is) signed in X-Hub-Signature-256 with `appSecret`, or with `headers` instead when a test forges them.
 */
export function postHubSigned(app: FastifyInstance, url: string, payload: unknown, appSecret: string, headers?: Record<string, string>) {
  const raw = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', ...(headers ?? { 'x-hub-signature-256': hubSignature(raw, appSecret) }) },
    payload: raw,
  });
}

/** The headers an integrator or a PBX signs a body with: X-Sapa-Signature over "<timestamp>.<raw body>". */
export function sapaSignedHeaders(raw: string, secret: string, timestamp: number): Record<string, string> {
  return { 'content-type': 'application/json', 'x-sapa-timestamp': String(timestamp), 'x-sapa-signature': signPayload(secret, timestamp, raw) };
}
