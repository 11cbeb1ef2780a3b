import type { Redis } from 'ioredis';
import { BEAT, LEAVE } from './presence-scripts.js';

/** What one live replica says of itself: how many sessions it holds, and the most it may hold (none: no limit). */
export interface ReplicaLoad {
  holderId: string;
  held: number;
  max?: number;
}

/**
 * Which replicas of a service are alive, and how loaded, so each can work out its fair share of the sessions
 * (session-supervisor.ts). A replica that stops beating (crashed, partitioned) drops out after `ttlMs`, as its
 * leases do.
 */
export interface ReplicaPresence {
  /** Says this replica is alive with `load`; returns every live replica's load, this one's included. */
  beat(load: { held: number; max?: number }): Promise<ReplicaLoad[]>;
  /** Leaves at once (clean shutdown), so the others count one replica fewer on their next scan. */
  leave(): Promise<void>;
}

export interface PresenceOptions {
  redis: Redis;
  prefix: string;
  /** The service, as in its leases: `${prefix}:${namespace}:replicas` and `${prefix}:${namespace}:replica-load`. */
  namespace: string;
  holderId: string;
  /** How long a beat keeps this replica counted: the lease TTL, so a replica and its leases go together. */
  ttlMs: number;
}

/** This replica's presence among its service's replicas, in Redis (presence-scripts.ts). */
export function createReplicaPresence(options: PresenceOptions): ReplicaPresence {
  const { redis, prefix, namespace, holderId } = options;
  const keys = [`${prefix}:${namespace}:replicas`, `${prefix}:${namespace}:replica-load`] as const;
  return {
    async beat(load) {
      const flat = (await redis.eval(BEAT, 2, ...keys, holderId, options.ttlMs, `${load.held}/${load.max ?? ''}`)) as string[];
      const loads: ReplicaLoad[] = [];
      for (let i = 0; i < flat.length; i += 2) loads.push(parseLoad(flat[i]!, flat[i + 1]!));
      return loads;
    },
    async leave() {
      await redis.eval(LEAVE, 2, ...keys, holderId);
    },
  };
}

function parseLoad(holderId: string, value: string): ReplicaLoad {
  const [held, max] = value.split('/');
  return { holderId, held: Number(held) || 0, ...(max ? { max: Number(max) } : {}) };
}
