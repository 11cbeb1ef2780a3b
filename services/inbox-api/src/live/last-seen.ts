import type { Kysely } from 'kysely';
import type { DB } from '@sapa/db';
import { touchLastSeen } from '@sapa/db/queries/agents';
import type { Logger } from '@sapa/service-kit';
import type { Principal } from '../auth/principal.js';

/** A socket's signs of life come often (every pong, every frame); one write per socket per this long is enough. */
export const LAST_SEEN_WRITE_MS = 15_000;

interface SocketState {
  writtenAt: number;
  /** False once a write found no agent row: a user without presence is not written for again. */
  agent: boolean;
}

/**
 * Records when an agent's inbox socket last showed life (agents.last_seen_at), which the idle sweep reads to turn
 * a silent agent away. At most one write per socket per LAST_SEEN_WRITE_MS; best effort (a failed write is logged,
 * the next sign of life tries again).
 */
export function createLastSeenTracker(db: Kysely<DB>, logger: Logger): (socket: object, principal: Principal) => void {
  const sockets = new WeakMap<object, SocketState>();
  return (socket, principal) => {
    const state = sockets.get(socket) ?? { writtenAt: -Infinity, agent: true };
    sockets.set(socket, state);
    const now = Date.now();
    if (!state.agent || now - state.writtenAt < LAST_SEEN_WRITE_MS) return;
    state.writtenAt = now;
    touchLastSeen(db, principal.tenantId, principal.userId).then(
      (isAgent) => {
        state.agent = isAgent;
      },
      (err: unknown) => {
        state.writtenAt = -Infinity;
        logger.warn({ err, tenantId: principal.tenantId, userId: principal.userId }, 'could not record a socket sign of life');
      },
    );
  };
}
