import type { OpenedChannel, WebhookRequest } from '../channel-adapter.js';
import { answerHubHandshake } from '../meta/hub-handshake.js';
import { verifyHubSignature } from '../meta/hub-signature.js';
import { sealed } from './credentials.js';

/** Meta's signature with this channel's app secret (channels/meta/hub-signature.ts). */
export function verifyPageWebhook(request: WebhookRequest, channel: OpenedChannel): void {
  verifyHubSignature(request, sealed(channel, 'appSecret'));
}

/** Meta's check of the callback URL with this channel's verify token (channels/meta/hub-handshake.ts). */
export function pageHandshake(query: Record<string, unknown>, channel: OpenedChannel): string {
  return answerHubHandshake(query, sealed(channel, 'verifyToken'));
}
