import type { ReplicaLoad } from './replica-presence.js';

export interface ShareInput {
  /** This replica's holder id. */
  self: string;
  /** How many keys should be held, across all replicas. */
  wanted: number;
  /** How many sessions this replica holds now (fresher than its own last beat). */
  held: number;
  /** The live replicas as their last beats said; this one's entry, if present, is ignored. */
  replicas: readonly ReplicaLoad[];
  /** Most sessions this replica may hold; none: no limit. */
  maxSessions?: number;
  /** Most sessions handed over in one scan, so a new replica's arrival does not drop every session at once. */
  handOverStep: number;
}

export interface SharePlan {
  /** This replica's fair share: ceil(wanted / live replicas), within its maxSessions. Above it, it takes only orphans. */
  share: number;
  /** How many of its sessions this replica hands over now. */
  handOver: number;
}

/**
 * How many sessions a replica should hold, and how many it should give up now. A replica above its share hands the
 * surplus over only while some other live replica is below its own share with room to spare: otherwise nobody would
 * take the keys, they would come back to it as orphans one scan later, and it would hand them over again, forever.
 */
export function planShare(input: ShareInput): SharePlan {
  const others = input.replicas.filter((r) => r.holderId !== input.self);
  const fair = Math.ceil(input.wanted / (others.length + 1));
  const share = Math.min(fair, input.maxSessions ?? Infinity);
  const surplus = input.held - share;
  if (surplus <= 0) return { share, handOver: 0 };
  const someoneWouldTake = others.some((r) => r.held < Math.min(fair, r.max ?? Infinity));
  return { share, handOver: someoneWouldTake ? Math.min(surplus, input.handOverStep) : 0 };
}
