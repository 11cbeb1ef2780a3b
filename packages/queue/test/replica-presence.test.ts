import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { testEnv } from '@sapa/test-support';
import { createRedis, createReplicaPresence, type Redis } from '../src/index.js';

const env = testEnv();
let redis: Redis;

beforeAll(() => {
  redis = createRedis(env.redisUrl);
});
afterAll(async () => {
  await redis.quit();
});

function presences(ttlMs: number) {
  const prefix = `${env.redisPrefix}:presence-${randomUUID().slice(0, 8)}`;
  const of = (holderId: string, ttl = ttlMs) => createReplicaPresence({ redis, prefix, namespace: 'wa', holderId, ttlMs: ttl });
  return { prefix, of };
}

const byId = (loads: Array<{ holderId: string }>) => [...loads].sort((x, y) => x.holderId.localeCompare(y.holderId));

describe('the presence of a service’s replicas', () => {
  it('lists every live replica with the load it last told, this one included', async () => {
    const { of } = presences(5000);
    const [a, b] = [of('a'), of('b')];
    await a.beat({ held: 3 });
    expect(byId(await b.beat({ held: 1, max: 4 }))).toEqual([
      { holderId: 'a', held: 3 },
      { holderId: 'b', held: 1, max: 4 },
    ]);
  });

  it('drops a replica that leaves at once, and one that stops beating once its presence runs out', async () => {
    const { of } = presences(5000);
    const [a, b] = [of('a'), of('b')];
    const quiet = of('quiet', 300);
    await Promise.all([a.beat({ held: 1 }), b.beat({ held: 1 }), quiet.beat({ held: 1 })]);
    await b.leave();
    expect(byId(await a.beat({ held: 1 })).map((l) => l.holderId)).toEqual(['a', 'quiet']);
    const deadline = Date.now() + 10_000;
    while ((await a.beat({ held: 1 })).some((l) => l.holderId === 'quiet')) {
      if (Date.now() > deadline) throw new Error('the quiet replica is still listed');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await a.beat({ held: 1 })).map((l) => l.holderId)).toEqual(['a']);
  });

  it('leaves no keys behind once every replica is gone', async () => {
    const { of, prefix } = presences(200);
    await of('a').beat({ held: 0 });
    expect(await redis.exists(`${prefix}:wa:replicas`, `${prefix}:wa:replica-load`)).toBe(2);
    const deadline = Date.now() + 10_000;
    while ((await redis.exists(`${prefix}:wa:replicas`, `${prefix}:wa:replica-load`)) > 0) {
      if (Date.now() > deadline) throw new Error('presence keys outlived every replica');
      await new Promise((r) => setTimeout(r, 50));
    }
  });
});
