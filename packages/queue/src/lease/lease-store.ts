import type { Redis } from 'ioredis';
import { ACQUIRE, RAISE_FLOOR, RELEASE, RENEW } from './lease-scripts.js';

/** A held lease: the fencing token that every write and send of this holder may carry. */
export interface Lease {
  id: string;
  token: number;
}

/**
 * One holder per long-lived session across replicas (ARCHITECTURE.md §Scaling: a WhatsApp number, a mailbox's IDLE
 * connection, a PBX's AMI connection): a Redis key with a TTL, renewed by its holder, and a fencing token from a
 * counter that only grows. A holder that stops renewing (crashed, partitioned) loses the key after `ttlMs`, and
 * another replica takes the session with a higher token; whatever the old one still tries to write carries the lower
 * token and can be refused (by Postgres, or by `holds` before a send).
 */
export interface LeaseStore {
  /** The lease, or undefined when another holder has it. */
  acquire(id: string): Promise<Lease | undefined>;
  /** True while the lease is still this holder's; false once it was lost (expired, taken). */
  renew(lease: Lease): Promise<boolean>;
  /** Whether this holder still has the lease right now (checked before every send). */
  holds(lease: Lease): Promise<boolean>;
  /** Gives the lease up only if it is still this holder's, so another replica takes it without waiting for the TTL. */
  release(lease: Lease): Promise<void>;
  /** Makes the next token of `id` higher than `token` (after Postgres refused a claim as stale). */
  raiseFloor(id: string, token: number): Promise<void>;
  /** The ids among `ids` that some holder has a lease on right now (one round trip). */
  leased(ids: readonly string[]): Promise<Set<string>>;
}

export interface LeaseOptions {
  redis: Redis;
  prefix: string;
  /** What the leases are of, in their keys: `${prefix}:${namespace}:lease:${id}` and `${prefix}:${namespace}:fence:${id}`. */
  namespace: string;
  /** This replica's name in lease values (host and pid, or a random id). */
  holderId: string;
  /** How long a lease lives without renewal (default 10 s): the longest a dead holder keeps what it held. */
  ttlMs?: number;
}

/** A lease's life without renewal when `ttlMs` is not given. */
export const DEFAULT_LEASE_TTL_MS = 10_000;

/** The Redis keys of one lease and its fencing counter. */
export function leaseKeys(prefix: string, namespace: string, id: string): readonly [lease: string, fence: string] {
  return [`${prefix}:${namespace}:lease:${id}`, `${prefix}:${namespace}:fence:${id}`];
}

export function createLeaseStore(options: LeaseOptions): LeaseStore {
  const ttlMs = options.ttlMs ?? DEFAULT_LEASE_TTL_MS;
  const { redis, prefix, namespace } = options;
  const keys = (id: string) => leaseKeys(prefix, namespace, id);
  const valueOf = (lease: Lease) => `${lease.token}:${options.holderId}`;
  return {
    async acquire(id) {
      const token = (await redis.eval(ACQUIRE, 2, ...keys(id), options.holderId, ttlMs)) as number | null;
      return token === null ? undefined : { id, token: Number(token) };
    },
    async renew(lease) {
      return Number(await redis.eval(RENEW, 2, ...keys(lease.id), valueOf(lease), ttlMs)) === 1;
    },
    async holds(lease) {
      return (await redis.get(keys(lease.id)[0])) === valueOf(lease);
    },
    async release(lease) {
      await redis.eval(RELEASE, 2, ...keys(lease.id), valueOf(lease));
    },
    async raiseFloor(id, token) {
      await redis.eval(RAISE_FLOOR, 2, ...keys(id), token);
    },
    async leased(ids) {
      if (ids.length === 0) return new Set();
      const values = await redis.mget(ids.map((id) => keys(id)[0]));
      return new Set(ids.filter((_, i) => values[i] !== null));
    },
  };
}
