import type { BackoffStrategy } from 'bullmq';

/**
 * The strategy behind OUTBOUND_BACKOFF (packages/queue): exponential, `base · 2^(attempt − 1)`. The base is the
 * job's own `backoff.delay` unless the worker is given `baseDelayMs` (tests run five attempts in milliseconds).
 */
export function outboundBackoff(baseDelayMs?: number): BackoffStrategy {
  return (attemptsMade, _type, _err, job) => {
    const configured = job?.opts.backoff;
    const base = baseDelayMs ?? (typeof configured === 'object' ? configured.delay : configured) ?? 1000;
    return Math.round(base * 2 ** Math.max(0, attemptsMade - 1));
  };
}
