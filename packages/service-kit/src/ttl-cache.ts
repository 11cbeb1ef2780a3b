/** Values read per key and kept for a while: what workers keep of tenant settings, holidays and routing rules. */
export interface TtlCache<V> {
  get(key: string): Promise<V>;
}

/**
 * Keeps each key's value for `ttlMs` after it was read (jobs come by the hundred a second and would otherwise read
 * the same rows for each); a change reaches the process within `ttlMs`. Concurrent gets of a missing key share one
 * read; a failed read is not kept, so the next get asks again. At most `maxEntries` keys, the oldest dropped first.
 */
export function createTtlCache<V>(load: (key: string) => Promise<V>, ttlMs: number, maxEntries = 10_000): TtlCache<V> {
  const cache = new Map<string, { until: number; value: Promise<V> }>();
  return {
    get(key) {
      const now = Date.now();
      const hit = cache.get(key);
      if (hit && hit.until > now) return hit.value;
      const value = load(key);
      cache.delete(key);
      cache.set(key, { until: now + ttlMs, value });
      value.catch(() => cache.delete(key));
      if (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
      return value;
    },
  };
}
