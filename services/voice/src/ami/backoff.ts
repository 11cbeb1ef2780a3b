/** Reconnection waits: doubling from `minMs` up to `maxMs`. */
export interface Backoff {
  minMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { minMs: 500, maxMs: 30_000 };

/** The wait before reconnection attempt `attempt` (0 first), with up to a fifth of random spread so replicas part. */
export function reconnectDelayMs(attempt: number, backoff: Partial<Backoff> = {}, random: () => number = Math.random): number {
  const { minMs, maxMs } = { ...DEFAULT_BACKOFF, ...backoff };
  const base = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 30));
  return Math.round(base * (1 - random() * 0.2));
}
