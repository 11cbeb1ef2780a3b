import type { Kysely } from 'kysely';
import type { Conversation, DB } from '@sapa/db';
import { claimCapacity, onlineCandidates } from '@sapa/db/queries/agents';
import { recordAssignment } from '@sapa/db/queries/assignments';
import { findConversation, lockConversation, lockTeamQueue, markAssigned, nextQueued } from '@sapa/db/queries/conversations';
import type { Db } from '@sapa/db/queries/db-handle';
import { pickLeastBusy } from '@sapa/routing';

/**
 * Gives a queued conversation to the least-busy online agent of its team, if one has room. Returns the
 * assigned conversation, or undefined when it stays queued (nobody free, or it is no longer queued).
 */
export function assignConversation(db: Kysely<DB>, tenantId: string, conversationId: string): Promise<Conversation | undefined> {
  return db.transaction().execute(async (trx) => {
    const peek = await findConversation(trx, tenantId, conversationId);
    if (!peek || peek.status !== 'queued' || !peek.team_id) return undefined;
    // Lock order is team, then conversation, then agent, everywhere; so re-read under the team lock.
    await lockTeamQueue(trx, tenantId, peek.team_id);
    const conv = await lockConversation(trx, tenantId, conversationId);
    if (!conv || conv.status !== 'queued' || conv.team_id !== peek.team_id) return undefined;
    return assignLocked(trx, tenantId, conv);
  });
}

/**
 * Assigns a team's waiting conversations, highest priority then oldest first, until the queue is empty or
 * no agent has room. One short transaction per conversation, so other routers interleave.
 */
export async function drainTeam(db: Kysely<DB>, tenantId: string, teamId: string, limit = 500): Promise<Conversation[]> {
  const assigned: Conversation[] = [];
  for (let i = 0; i < limit; i++) {
    const next = await db.transaction().execute(async (trx) => {
      await lockTeamQueue(trx, tenantId, teamId);
      const conv = await nextQueued(trx, tenantId, teamId);
      if (!conv) return 'empty' as const;
      return (await assignLocked(trx, tenantId, conv)) ?? ('full' as const);
    });
    if (next === 'empty' || next === 'full') break;
    assigned.push(next);
  }
  return assigned;
}

async function assignLocked(trx: Db, tenantId: string, conv: Conversation): Promise<Conversation | undefined> {
  const candidates = await onlineCandidates(trx, tenantId, conv.team_id!, conv.kind);
  // An agent in two teams can fill up through the other team's queue meanwhile; then try the next best.
  while (candidates.length > 0) {
    const chosen = pickLeastBusy(candidates);
    if (!chosen) return undefined;
    if (await claimCapacity(trx, tenantId, chosen.agentId, conv.kind)) {
      const assigned = await markAssigned(trx, tenantId, conv.id, chosen.agentId);
      await recordAssignment(trx, tenantId, { conversationId: conv.id, action: 'assigned', agentId: chosen.agentId, teamId: conv.team_id });
      return assigned;
    }
    candidates.splice(candidates.indexOf(chosen), 1);
  }
  return undefined;
}
