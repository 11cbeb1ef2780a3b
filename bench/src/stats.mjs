/** Latency and rate arithmetic shared by every phase. Latencies are in milliseconds. */

/** The q-quantile (0..1) of an ascending-sorted array, nearest-rank; NaN when empty. */
export function quantile(sorted, q) {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

/** p50/p90/p99/max of a list of latencies (the list is copied, not sorted in place). */
export function summarize(latencies) {
  const sorted = Float64Array.from(latencies).sort();
  return {
    count: sorted.length,
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    p99: quantile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1] : Number.NaN,
  };
}

/**
 * Completions per whole second between `from` and `to` (ms timestamps on one clock): the slowest second says
 * whether a rate was *sustained*, which an average over the run hides.
 */
export function perSecond(timestamps, from, to) {
  const seconds = Math.max(1, Math.floor((to - from) / 1000));
  const buckets = new Array(seconds).fill(0);
  for (const t of timestamps) {
    const i = Math.floor((t - from) / 1000);
    if (i >= 0 && i < seconds) buckets[i] += 1;
  }
  return buckets;
}

export const now = () => performance.now();
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
