import type { Kysely } from 'kysely';
import type { Conversation, DB } from '@sapa/db';
import { drainTeamQueue, findConversation } from '@sapa/db/queries/conversations';

/** How many conversations one drain call assigns at most; a longer queue is taken in several calls. */
const DRAIN_BATCH = 100;

/**
 * Assigns a team's waiting conversations to agents with room: highest priority, then oldest first, each to
 * the least-busy online agent (`pickLeastBusy` of `@sapa/routing`, applied in Postgres by
 * `sapa_drain_team` so that one assignment is one round trip). Returns every conversation it assigned.
 */
export async function drainTeam(db: Kysely<DB>, tenantId: string, teamId: string, limit = 1000): Promise<Conversation[]> {
  const assigned: Conversation[] = [];
  while (assigned.length < limit) {
    const batch = await drainTeamQueue(db, tenantId, teamId, Math.min(DRAIN_BATCH, limit - assigned.length));
    assigned.push(...batch);
    if (batch.length < DRAIN_BATCH) break;
  }
  return assigned;
}

/**
 * Gives a new queued conversation an agent, if one has room. It drains the conversation's team rather than
 * taking an agent directly, so it never jumps ahead of conversations that waited longer.
 * Returns the conversation if it was assigned, with everything else the drain assigned.
 */
export async function assignConversation(
  db: Kysely<DB>,
  tenantId: string,
  conversationId: string,
): Promise<{ conversation: Conversation | undefined; assigned: Conversation[] }> {
  const conv = await findConversation(db, tenantId, conversationId);
  if (!conv || conv.status !== 'queued' || !conv.team_id) return { conversation: undefined, assigned: [] };
  const assigned = await drainTeam(db, tenantId, conv.team_id);
  return { conversation: assigned.find((c) => c.id === conversationId), assigned };
}
