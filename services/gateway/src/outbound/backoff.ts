import type { BackoffStrategy } from 'bullmq';
import { SendFailure } from '../channels/channel-adapter.js';

/**
 * The strategy behind OUTBOUND_BACKOFF (packages/queue): exponential, `base · 2^(attempt − 1)`. The base is the
 * job's own `backoff.delay` unless the worker is given `baseDelayMs` (tests run five attempts in milliseconds).
 * A channel that said how long to wait (SendFailure.retryAfterMs, e.g. Telegram's flood control) is waited for at
 * least that long, whatever the base: trying sooner only earns another refusal.
 */
export function outboundBackoff(baseDelayMs?: number): BackoffStrategy {
  return (attemptsMade, _type, err, job) => {
    const configured = job?.opts.backoff;
    const base = baseDelayMs ?? (typeof configured === 'object' ? configured.delay : configured) ?? 1000;
    const exponential = Math.round(base * 2 ** Math.max(0, attemptsMade - 1));
    const asked = err instanceof SendFailure ? err.retryAfterMs : undefined;
    return asked === undefined ? exponential : Math.max(asked, exponential);
  };
}
