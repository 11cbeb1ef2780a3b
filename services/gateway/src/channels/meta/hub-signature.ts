import { createHmac } from 'node:crypto';
import { InvalidSignature, MissingSignature } from '../../errors.js';
import type { WebhookRequest } from '../channel-adapter.js';
import { sameSecret } from './same-secret.js';

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/**
 * Meta signs every webhook POST (WhatsApp, Messenger, Instagram) with `X-Hub-Signature-256: sha256=<hex>`, the
 * HMAC-SHA256 of the raw body keyed by the app secret. It carries no timestamp: a replay is caught by message-id
 * deduplication, not here.
 */
export function verifyHubSignature(request: WebhookRequest, appSecret: string): void {
  const given = request.headers['x-hub-signature-256'];
  if (typeof given !== 'string' || given.length === 0) {
    throw MissingSignature('send X-Hub-Signature-256 (sha256=<hex HMAC of the raw body>); Meta adds it to every webhook');
  }
  const hex = SIGNATURE.exec(given.trim())?.[1];
  const expected = createHmac('sha256', appSecret).update(request.rawBody).digest();
  if (!hex || !sameSecret(Buffer.from(hex.toLowerCase(), 'hex'), expected)) {
    throw InvalidSignature("X-Hub-Signature-256 does not match; is this channel's app secret the one of the Meta app that sends the webhook?");
  }
}
