import type { Redis } from '@sapa/queue';
import { SendFailure, type SendThrottle } from '../channels/channel-adapter.js';
import { GCRA_TAKE_LUA } from './send-throttle-script.js';

/** How many sends may go at once before the rate applies: a tenth of a second's worth, at least one. */
const burstOf = (perSecond: number) => Math.max(1, Math.ceil(perSecond / 10));

/**
 * A SendThrottle on Redis, shared by every replica and worker: one GCRA bucket per key (`<prefix>:throttle:<key>`).
 * A send waits its turn in-process (a few ms at 80/s); a queue so long that the wait would pass `maxWaitMs` hands
 * the job back to BullMQ as a retryable failure that waits at least as long (outboundBackoff honours retryAfterMs).
 */
export function createSendThrottle(redis: Redis, prefix: string): SendThrottle & { reserve(key: string, perSecond: number, maxWaitMs: number): Promise<{ granted: boolean; waitMs: number }> } {
  const reserve = async (key: string, perSecond: number, maxWaitMs: number) => {
    const interval = 1000 / perSecond;
    const tolerance = interval * (burstOf(perSecond) - 1);
    const [granted, waitMs] = (await redis.eval(GCRA_TAKE_LUA, 1, `${prefix}:throttle:${key}`, interval, tolerance, maxWaitMs)) as [number, number];
    return { granted: granted === 1, waitMs };
  };
  return {
    reserve,
    async take(key, perSecond, maxWaitMs) {
      const { granted, waitMs } = await reserve(key, perSecond, maxWaitMs);
      if (!granted) throw new SendFailure(`more than ${perSecond} messages a second are queued for this sender; waiting ${waitMs} ms for a turn`, true, waitMs);
      if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    },
  };
}
