import { verifySignature } from '@sapa/contracts';
import { InvalidSignature, MissingSignature, StaleTimestamp } from '../../errors.js';
import type { OpenedChannel, WebhookRequest } from '../channel-adapter.js';
import { signingSecretOf } from './signing-secret.js';

const REFUSAL = { missing: MissingSignature, stale: StaleTimestamp, mismatch: InvalidSignature } as const;

/** X-Sapa-Timestamp + X-Sapa-Signature over "<timestamp>.<raw body>", 300 s window (api-contract.md §Generic API channel). */
export function verifyApiWebhook(request: WebhookRequest, channel: OpenedChannel, nowSeconds: number): void {
  const check = verifySignature(
    signingSecretOf(channel),
    { timestamp: single(request.headers['x-sapa-timestamp']), signature: single(request.headers['x-sapa-signature']) },
    request.rawBody,
    nowSeconds,
  );
  if (!check.ok) throw REFUSAL[check.reason]();
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? undefined : value;
}
