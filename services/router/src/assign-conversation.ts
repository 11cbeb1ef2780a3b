import type { Kysely } from 'kysely';
import type { Conversation, DB } from '@sapa/db';
import { drainTeamQueue, findConversation, queueHead } from '@sapa/db/queries/conversations';

/** How many conversations one drain call assigns at most; a longer queue is taken in several calls. */
const DRAIN_BATCH = 100;

/** An external allocator's choice for the head of a team's queue: an agent id, or null to leave it to the strategy. */
export type AllocatorPick = (head: Conversation) => Promise<string | null>;

/** The teams' external allocators (external-allocator.ts); a team without one answers null. */
export interface Allocators {
  forTeam(tenantId: string, teamId: string): Promise<AllocatorPick | null>;
  /** The allocator named an agent the drain found unsuitable (offline, full, lacking a skill …). */
  unsuitable(tenantId: string, teamId: string, conversationId: string, agentId: string): void;
}

/**
 * Assigns a team's waiting conversations to agents with room: highest priority, then oldest first, each to the agent
 * `pickAgent` of `@sapa/routing` chooses (applied in Postgres by `sapa_drain_team`). For a team with an external
 * allocator, the allocator is asked first for each head of the queue. Returns every conversation it assigned.
 *
 * Several assignments per call: a drain holds the tenant's drain lock and the rows of the agents it gave work until
 * it commits, and everything else that locks a waiting conversation and then an agent (a transfer to an agent) takes
 * the same lock first, so none of them can wait on each other (services/router/README.md).
 */
export async function drainTeam(db: Kysely<DB>, tenantId: string, teamId: string, limit = 1000, allocators?: Allocators): Promise<Conversation[]> {
  const assigned: Conversation[] = [];
  const pick = allocators ? await allocators.forTeam(tenantId, teamId) : null;
  if (!pick) {
    while (assigned.length < limit) {
      const batch = await drainTeamQueue(db, tenantId, teamId, Math.min(DRAIN_BATCH, limit - assigned.length));
      assigned.push(...batch);
      if (batch.length < DRAIN_BATCH) break;
    }
    return assigned;
  }
  // With an allocator: one decision at a time, the allocator asked for each head of the queue.
  while (assigned.length < limit) {
    const head = await queueHead(db, tenantId, teamId);
    if (!head) break;
    const agentId = await pick(head);
    const [one] = await drainTeamQueue(db, tenantId, teamId, 1, agentId ? { conversationId: head.id, agentId } : undefined);
    if (agentId && (one?.id !== head.id || one.assignee_id !== agentId)) allocators!.unsuitable(tenantId, teamId, head.id, agentId);
    if (!one) break;
    assigned.push(one);
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
  allocators?: Allocators,
): Promise<{ conversation: Conversation | undefined; assigned: Conversation[] }> {
  const conv = await findConversation(db, tenantId, conversationId);
  if (!conv || conv.status !== 'queued' || !conv.team_id) return { conversation: undefined, assigned: [] };
  const assigned = await drainTeam(db, tenantId, conv.team_id, 1000, allocators);
  return { conversation: assigned.find((c) => c.id === conversationId), assigned };
}
