import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { testEnv, waitUntil } from '@sapa/test-support';
import { createRedis, createSessionSupervisor, leaseKeys, type Lease, type Redis, type SessionEnd, type SessionSupervisor, type SupervisorStop } from '../src/index.js';

const env = testEnv();
const logger = pino({ level: 'silent' });
let redis: Redis;
const running: Array<{ supervisor: SessionSupervisor<FakeSession>; redis?: Redis }> = [];

beforeAll(() => {
  redis = createRedis(env.redisUrl);
});
afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.supervisor.close();
    if (r.redis?.status === 'ready') await r.redis.quit();
  }
});
afterAll(async () => {
  await redis.quit();
});

/** What the supervisor holds for a key: here nothing but the lease and a way to end on its own, like a logged-out number. */
interface FakeSession {
  key: string;
  lease: Lease;
  end(how: SessionEnd): void;
}

/** The keys that should be held (the channels that are active), with their versions (their settings). */
class Keys {
  readonly versions = new Map<string, string>();
  constructor(count: number) {
    for (let i = 0; i < count; i += 1) this.versions.set(`k${i}`, 'v1');
  }
  get all(): string[] {
    return [...this.versions.keys()];
  }
}

interface ReplicaOptions {
  ttlMs?: number;
  maxSessions?: number;
  /** Its own Redis connection, to cut it off as a partition or a crash would. */
  ownConnection?: boolean;
  /** Keys whose session cannot start (start answers undefined). */
  unstartable?: Set<string>;
}

function world() {
  const prefix = `${env.redisPrefix}:supervisor-${randomUUID().slice(0, 8)}`;
  const leaseOf = (key: string) => redis.get(leaseKeys(prefix, 'test', key)[0]);

  function replica(holderId: string, keys: Keys, options: ReplicaOptions = {}) {
    const started: string[] = [];
    const stopped: Array<[string, SupervisorStop]> = [];
    const connection = options.ownConnection ? createRedis(env.redisUrl) : redis;
    const supervisor = createSessionSupervisor<string, FakeSession>({
      name: 'test session',
      lease: { redis: connection, prefix, namespace: 'test', holderId, ttlMs: options.ttlMs ?? 5000 },
      logger,
      list: async () => keys.all.map((key) => ({ key, item: key, version: keys.versions.get(key)! })),
      start: async (wanted, lease, ended) => {
        if (options.unstartable?.has(wanted.key)) return undefined;
        started.push(wanted.key);
        return { key: wanted.key, lease, end: ended };
      },
      stop: async (session, why) => {
        stopped.push([session.key, why]);
      },
      scanIntervalMs: 50,
      ...(options.maxSessions !== undefined && { maxSessions: options.maxSessions }),
    });
    running.push({ supervisor, ...(options.ownConnection && { redis: connection }) });
    return { supervisor, started, stopped, redis: connection };
  }
  return { prefix, replica, leaseOf };
}

const until = <T>(probe: () => Promise<T | false | undefined> | T | false | undefined, timeoutMs = 15_000) => waitUntil(probe, timeoutMs);

const heldBy = (...replicas: Array<{ supervisor: SessionSupervisor<FakeSession> }>) => replicas.map((r) => r.supervisor.held().length);
/** Every key held by exactly one of the replicas. */
const heldOnce = (keys: Keys, ...replicas: Array<{ supervisor: SessionSupervisor<FakeSession> }>) => {
  const all = replicas.flatMap((r) => r.supervisor.held()).sort();
  return JSON.stringify(all) === JSON.stringify([...keys.all].sort());
};

describe('the session supervisor on one replica', () => {
  it('takes every listed key and keeps it past its lease by renewing', async () => {
    const w = world();
    const keys = new Keys(3);
    const a = w.replica('a', keys, { ttlMs: 1000 });
    await until(() => a.supervisor.held().length === 3);
    expect(a.started.sort()).toEqual(['k0', 'k1', 'k2']);
    const token = a.supervisor.sessionOf('k0')!.lease.token;
    // Two and a half lease lives, with only renewals (every third of one) keeping the leases.
    await new Promise((r) => setTimeout(r, 2500));
    expect(await w.leaseOf('k0')).toBe(`${token}:a`);
    expect(a.started).toHaveLength(3);
  });

  it('stops a session whose key is no longer listed, then releases its lease', async () => {
    const w = world();
    const keys = new Keys(2);
    const a = w.replica('a', keys);
    await until(() => a.supervisor.held().length === 2);
    keys.versions.delete('k1');
    await until(() => a.stopped.length === 1);
    expect(a.stopped).toEqual([['k1', 'removed']]);
    await until(async () => (await w.leaseOf('k1')) === null);
    expect(a.supervisor.held()).toEqual(['k0']);
  });

  it('restarts a session whose settings changed', async () => {
    const w = world();
    const keys = new Keys(1);
    const a = w.replica('a', keys);
    await until(() => a.supervisor.sessionOf('k0'));
    keys.versions.set('k0', 'v2');
    await until(() => a.started.length === 2);
    expect(a.stopped).toEqual([['k0', 'changed']]);
    expect(a.supervisor.sessionOf('k0')).toBeDefined();
  });

  it('drops a session whose lease was lost without touching the new holder’s lease, and never takes it back while held', async () => {
    const w = world();
    const keys = new Keys(1);
    const a = w.replica('a', keys);
    await until(() => a.supervisor.sessionOf('k0'));
    // Another holder took the key (a stalled past its TTL): the lease now carries someone else's value.
    await redis.set(leaseKeys(w.prefix, 'test', 'k0')[0], '999:someone-else', 'PX', 60_000);
    await a.supervisor.renew();
    expect(a.stopped).toEqual([['k0', 'lease_lost']]);
    expect(await w.leaseOf('k0')).toBe('999:someone-else');
    await a.supervisor.scan();
    expect(a.supervisor.held()).toEqual([]);
  });

  it('forgets a session that ended on its own, releasing or keeping its lease as the session says', async () => {
    const w = world();
    const keys = new Keys(2);
    const a = w.replica('a', keys, { ttlMs: 60_000 });
    await until(() => a.supervisor.held().length === 2);
    const released = a.supervisor.sessionOf('k0')!;
    const lost = a.supervisor.sessionOf('k1')!;
    lost.end('lost');
    released.end('release');
    expect(a.supervisor.held()).toEqual([]);
    // The released key is free and taken again (with a higher token); the lost one stays with whoever has it.
    await until(() => a.supervisor.sessionOf('k0'));
    expect(a.supervisor.sessionOf('k0')!.lease.token).toBeGreaterThan(released.lease.token);
    expect(await w.leaseOf('k1')).toBe(`${lost.lease.token}:a`);
    expect(a.stopped).toEqual([]);
  });

  it('gives the lease back when a session cannot start, and tries again later', async () => {
    const w = world();
    const keys = new Keys(1);
    const unstartable = new Set(['k0']);
    // A lease kept by mistake would outlive this test.
    const a = w.replica('a', keys, { unstartable, ttlMs: 60_000 });
    await a.supervisor.scan();
    expect(a.supervisor.held()).toEqual([]);
    await until(async () => (await w.leaseOf('k0')) === null);
    unstartable.clear();
    await until(() => a.supervisor.sessionOf('k0'));
  });

  it('holds no more than its maxSessions', async () => {
    const w = world();
    const keys = new Keys(5);
    const a = w.replica('a', keys, { maxSessions: 2 });
    await until(() => a.supervisor.held().length === 2);
    await a.supervisor.scan();
    await a.supervisor.scan();
    await a.supervisor.scan();
    expect(a.supervisor.held()).toHaveLength(2);
  });

  it('releases every lease on close', async () => {
    const w = world();
    const keys = new Keys(2);
    const a = w.replica('a', keys);
    await until(() => a.supervisor.held().length === 2);
    await a.supervisor.close();
    expect(a.stopped.map(([, why]) => why)).toEqual(['shutdown', 'shutdown']);
    expect([await w.leaseOf('k0'), await w.leaseOf('k1')]).toEqual([null, null]);
  });
});

describe('sharing the keys between replicas', () => {
  it('splits the keys evenly once a second replica starts after the first took them all', async () => {
    const w = world();
    const keys = new Keys(6);
    const a = w.replica('a', keys);
    await until(() => a.supervisor.held().length === 6);
    const b = w.replica('b', keys);
    await until(() => heldBy(a, b).join() === '3,3' && heldOnce(keys, a, b));
    // Handed over gracefully: stopped by a, then started by b.
    expect(a.stopped.map(([, why]) => why)).toEqual(['handed_over', 'handed_over', 'handed_over']);
    expect(b.started.sort()).toEqual(a.stopped.map(([key]) => key).sort());
  });

  it('gives each of three replicas at most its share, ceil(keys / replicas), every key held once', async () => {
    const w = world();
    const keys = new Keys(7);
    const a = w.replica('a', keys);
    await until(() => a.supervisor.held().length === 7);
    const b = w.replica('b', keys);
    const c = w.replica('c', keys);
    await until(() => heldBy(a, b, c).every((n) => n <= 3 && n >= 1) && heldOnce(keys, a, b, c));
  });

  it('takes every key of a replica that stopped renewing, within its lease', async () => {
    const w = world();
    const keys = new Keys(6);
    // a's connection to Redis is cut (a crash, a partition): its leases and its presence run out after 1 s.
    const a = w.replica('a', keys, { ttlMs: 1000, ownConnection: true });
    await until(() => a.supervisor.held().length === 6);
    const b = w.replica('b', keys, { ttlMs: 1000 });
    await until(() => heldBy(a, b).join() === '3,3' && heldOnce(keys, a, b));
    a.redis.disconnect();
    await until(() => b.supervisor.held().length === 6);
    expect(heldOnce(keys, b)).toBe(true);
  });

  it('lets a replica take the keys another one has no room for, and leaves them there', async () => {
    const w = world();
    const keys = new Keys(6);
    const a = w.replica('a', keys, { maxSessions: 2 });
    await until(() => a.supervisor.held().length === 2);
    const b = w.replica('b', keys);
    // b's share is 3, but nobody else has room for the last key: unheld for two scans, b takes it too.
    await until(() => heldBy(a, b).join() === '2,4' && heldOnce(keys, a, b));
    const startedSoFar = a.started.length + b.started.length;
    for (let i = 0; i < 4; i += 1) await Promise.all([a.supervisor.scan(), b.supervisor.scan()]);
    // b is above its share, but a has no room: nothing is handed over, back and forth.
    expect(a.started.length + b.started.length).toBe(startedSoFar);
    expect(b.stopped).toEqual([]);
  });

  it('hands a closing replica’s keys to the others at once', async () => {
    const w = world();
    const keys = new Keys(4);
    const a = w.replica('a', keys, { ttlMs: 60_000 });
    await until(() => a.supervisor.held().length === 4);
    const b = w.replica('b', keys, { ttlMs: 60_000 });
    await until(() => heldBy(a, b).join() === '2,2' && heldOnce(keys, a, b));
    await a.supervisor.close();
    // The leases would live a minute: only the release and leaving the presence let b take all four now.
    await until(() => b.supervisor.held().length === 4);
  });
});
