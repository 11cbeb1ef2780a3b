import { defineError } from '@sapa/service-kit';

/** The gateway's refusals (api-contract.md §Generic API channel); each carries its contract code. */
export const ChannelNotFound = defineError('channel_not_found', 404, 'no channel of this type has this id; check the webhook URL');
export const MissingSignature = defineError(
  'missing_signature',
  401,
  'send X-Sapa-Timestamp (unix seconds) and X-Sapa-Signature (sha256=<hex HMAC>) headers',
);
export const StaleTimestamp = defineError(
  'stale_timestamp',
  401,
  'X-Sapa-Timestamp is more than 300 s from now; sign with the current time (check the sender clock)',
);
export const InvalidSignature = defineError(
  'invalid_signature',
  401,
  "the signature does not match; sign \"<timestamp>.<raw body>\" with the channel's signing secret",
);
export const ValidationFailed = defineError('validation_failed', 400, 'the body does not match the contract');
export const DuplicateInFlight = defineError(
  'duplicate_in_flight',
  409,
  'a request with this messageId is being accepted right now; retry in a second',
);
export const QueueUnavailable = defineError('queue_unavailable', 503, 'the message could not be queued; retry later');
export const InvalidJson = defineError('invalid_json', 400, 'the body is not valid JSON');
export const HandshakeRefused = defineError(
  'handshake_refused',
  403,
  "hub.mode must be subscribe and hub.verify_token the channel's verify token; paste the same token in Meta's webhook settings",
);
