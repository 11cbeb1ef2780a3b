import { describe, expect, it, jest } from '@jest/globals';
import { createTtlCache } from '../src/ttl-cache.js';

describe('createTtlCache', () => {
  it('reads a key once while its value is fresh, and again once it is stale', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    try {
      const load = jest.fn((key: string) => Promise.resolve(`${key}@${Date.now()}`));
      const cache = createTtlCache(load, 5000);
      expect(await cache.get('a')).toBe('a@1000000');
      jest.setSystemTime(1_004_999);
      expect(await cache.get('a')).toBe('a@1000000');
      jest.setSystemTime(1_005_000);
      expect(await cache.get('a')).toBe('a@1005000');
      expect(load).toHaveBeenCalledTimes(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('shares one read between concurrent gets of a missing key', async () => {
    const load = jest.fn(async (key: string) => key.toUpperCase());
    const cache = createTtlCache(load, 5000);
    expect(await Promise.all([cache.get('x'), cache.get('x'), cache.get('x')])).toEqual(['X', 'X', 'X']);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('does not keep a failed read', async () => {
    let fail = true;
    const cache = createTtlCache(async () => {
      if (fail) throw new Error('db down');
      return 'ok';
    }, 5000);
    await expect(cache.get('k')).rejects.toThrow('db down');
    fail = false;
    expect(await cache.get('k')).toBe('ok');
  });

  it('drops the oldest key beyond its size', async () => {
    const load = jest.fn(async (key: string) => key);
    const cache = createTtlCache(load, 60_000, 2);
    await cache.get('a');
    await cache.get('b');
    await cache.get('c');
    await cache.get('b');
    await cache.get('a');
    expect(load.mock.calls.map((c) => c[0])).toEqual(['a', 'b', 'c', 'a']);
  });
});
