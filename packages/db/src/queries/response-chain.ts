import { sql } from 'kysely';
import type { Conversation } from '../schema.js';
import { releaseCapacity } from './agents.js';
import { recordAssignment } from './assignments.js';
import type { Db } from './db-handle.js';

/**
 * The first-response chain's changes to a conversation (routing.responseChain, issue 6 item 4), each inside the
 * caller's transaction with the conversation row locked, each recorded in the assignment history.
 */

/** Whether an agent has written in the conversation since `since` (the assignment): its first response came. */
export async function agentAnsweredSince(db: Db, conversationId: string, since: Date): Promise<boolean> {
  const row = await db
    .selectFrom('messages')
    .select('id')
    .where('conversation_id', '=', conversationId)
    .where('author_type', '=', 'agent')
    .where('created_at', '>=', since)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export interface TakeBack {
  /** `reassign`: the agent is passed over, so the queue offers it to another; `requeue`/`escalate` start afresh. */
  passOver: boolean;
  raisePriority?: number;
  /** Move to this team's queue (escalate). */
  toTeamId?: string;
  action: 'unassigned' | 'queued' | 'escalated';
  reason: string;
}

/**
 * Takes an assigned conversation back from its agent who did not answer: frees the agent's capacity, queues the
 * conversation again in its place (queued_at is kept: it waited all along) and moves the chain one step on.
 */
export async function takeBackFromAgent(trx: Db, tenantId: string, conv: Conversation, t: TakeBack): Promise<Conversation> {
  if (conv.assignee_id) await releaseCapacity(trx, tenantId, conv.assignee_id, conv.kind);
  const teamId = t.toTeamId ?? conv.team_id;
  const updated = await trx
    .updateTable('conversations')
    .set({
      status: 'queued',
      assignee_id: null,
      assigned_at: null,
      team_id: teamId,
      priority: sql`priority + ${t.raisePriority ?? 0}`,
      passed_over: t.passOver && conv.assignee_id ? sql`array_append(passed_over, ${conv.assignee_id}::uuid)` : sql`'{}'::uuid[]`,
      reassign_count: t.passOver ? sql`reassign_count + 1` : sql`reassign_count`,
      response_step: sql`response_step + 1`,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', conv.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAssignment(trx, tenantId, { conversationId: conv.id, action: t.action, agentId: conv.assignee_id, teamId, reason: t.reason });
  return updated;
}

/** The chain moves on without taking the conversation away (the team leader is alerted). */
export async function advanceResponseStep(trx: Db, tenantId: string, conv: Conversation, reason: string): Promise<Conversation> {
  const updated = await trx
    .updateTable('conversations')
    .set({ response_step: sql`response_step + 1` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', conv.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAssignment(trx, tenantId, { conversationId: conv.id, action: 'alerted', agentId: conv.assignee_id, teamId: conv.team_id, reason });
  return updated;
}
