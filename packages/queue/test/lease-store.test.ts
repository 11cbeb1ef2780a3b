import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { testEnv } from '@sapa/test-support';
import { createLeaseStore, createRedis, leaseKeys, type Redis } from '../src/index.js';

const env = testEnv();
let redis: Redis;

beforeAll(() => {
  redis = createRedis(env.redisUrl);
});
afterAll(async () => {
  await redis.quit();
});

/** Two replicas on one fresh prefix, with a lease short enough to watch expire. */
function twoReplicas(ttlMs = 300) {
  const prefix = `${env.redisPrefix}-lease-${randomUUID().slice(0, 8)}`;
  return {
    a: createLeaseStore({ redis, prefix, namespace: 'wa', holderId: 'replica-a', ttlMs }),
    b: createLeaseStore({ redis, prefix, namespace: 'wa', holderId: 'replica-b', ttlMs }),
    prefix,
    channelId: randomUUID(),
  };
}

describe('the lease on a channel session (a WhatsApp number, a mailbox, a PBX)', () => {
  it('goes to one of two replicas asking at once, and the other is refused', async () => {
    const { a, b, channelId } = twoReplicas(5000);
    const [leaseA, leaseB] = await Promise.all([a.acquire(channelId), b.acquire(channelId)]);
    expect([leaseA, leaseB].filter(Boolean)).toHaveLength(1);
  });

  it('stays with its holder while renewed', async () => {
    // Renewed every 300 ms, four times, on a 1 s lease: well past its first expiry, with room for a slow machine.
    const { a, b, channelId } = twoReplicas(1000);
    const lease = (await a.acquire(channelId))!;
    for (let i = 0; i < 4; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await a.renew(lease)).toBe(true);
    }
    expect(await b.acquire(channelId)).toBeUndefined();
    expect(await a.holds(lease)).toBe(true);
  });

  it('is taken over with a higher fencing token once a dead holder stops renewing', async () => {
    const { a, b, channelId } = twoReplicas(200);
    const old = (await a.acquire(channelId))!;
    // Replica a "dies": no renewals. After the TTL, b takes the number.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const taken = (await b.acquire(channelId))!;
    expect(taken).toBeDefined();
    expect(taken.token).toBeGreaterThan(old.token);
  });

  it("refuses the stale holder afterwards: it cannot renew, is told it no longer holds, and its release leaves the new holder's lease alone", async () => {
    const { a, b, channelId } = twoReplicas(200);
    const old = (await a.acquire(channelId))!;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const current = (await b.acquire(channelId))!;

    expect(await a.renew(old)).toBe(false);
    expect(await a.holds(old)).toBe(false);
    await a.release(old);
    expect(await b.holds(current)).toBe(true);
    expect(await a.acquire(channelId)).toBeUndefined();
  });

  it('is free at once after a release, with the next token higher', async () => {
    const { a, b, channelId } = twoReplicas(5000);
    const first = (await a.acquire(channelId))!;
    await a.release(first);
    const second = (await b.acquire(channelId))!;
    expect(second.token).toBe(first.token + 1);
  });

  it('hands out tokens above a floor raised from Postgres (Redis lost its counter)', async () => {
    const { a, channelId } = twoReplicas(5000);
    await a.raiseFloor(channelId, 41);
    const lease = (await a.acquire(channelId))!;
    expect(lease.token).toBe(42);
    await a.raiseFloor(channelId, 10);
    await a.release(lease);
    expect((await a.acquire(channelId))!.token).toBe(43);
  });

  it('says which of several ids are leased now, in one round trip', async () => {
    const { a, b, channelId } = twoReplicas(5000);
    const [other, free] = [randomUUID(), randomUUID()];
    await a.acquire(channelId);
    await b.acquire(other);
    expect(await a.leased([channelId, other, free])).toEqual(new Set([channelId, other]));
    expect(await a.leased([])).toEqual(new Set());
  });

  it('keeps each namespace apart, under the key names the services have always used', async () => {
    const { a, prefix, channelId } = twoReplicas(5000);
    const email = createLeaseStore({ redis, prefix, namespace: 'email', holderId: 'replica-b', ttlMs: 5000 });
    const wa = (await a.acquire(channelId))!;
    const mail = (await email.acquire(channelId))!;
    expect(mail).toBeDefined();
    expect(leaseKeys(prefix, 'wa', channelId)).toEqual([`${prefix}:wa:lease:${channelId}`, `${prefix}:wa:fence:${channelId}`]);
    expect(await redis.get(`${prefix}:wa:lease:${channelId}`)).toBe(`${wa.token}:replica-a`);
    expect(await redis.get(`${prefix}:email:lease:${channelId}`)).toBe(`${mail.token}:replica-b`);
  });
});
