import { sql, type Kysely } from 'kysely';
import type { Conversation, DB } from '../schema.js';
import { claimCapacity, findAgent, lockAgents, releaseCapacity } from './agents.js';
import { recordAssignment } from './assignments.js';
import { lockConversation, markAssigned, markClosed, markQueued } from './conversations.js';
import type { Db } from './db-handle.js';
import { closeOpenCallbackOf } from './voice-callbacks.js';

/**
 * State changes of a conversation that free or move an agent's capacity. Each runs in its own transaction
 * with the conversation row locked, so the agents' counters never drift from what they hold.
 */
export interface Actor {
  actorId: string | null;
}

/** Closes a conversation and frees its agent's capacity. Idempotent: closing a closed one returns it unchanged. */
export function closeConversation(
  db: Kysely<DB>,
  tenantId: string,
  conversationId: string,
  opts: Actor & { reason: string | null },
): Promise<Conversation | undefined> {
  return db.transaction().execute(async (trx) => {
    const conv = await lockConversation(trx, tenantId, conversationId);
    if (!conv || conv.status === 'closed') return conv;
    return closeLocked(trx, tenantId, conv, opts);
  });
}

/**
 * The close itself, inside the caller's transaction with the open conversation's row locked: frees the agent's
 * capacity, marks it closed, records it in the assignment history, and closes a voice conversation's open callback
 * task with it (the task is then `closed`, not left open under a closed conversation). For callers that must commit
 * something else with the close (the closing text, a consumed timer). Every close of a conversation comes here.
 */
export async function closeLocked(trx: Db, tenantId: string, conv: Conversation, opts: Actor & { reason: string | null }): Promise<Conversation> {
  if (conv.assignee_id) await releaseCapacity(trx, tenantId, conv.assignee_id, conv.kind);
  const closed = await markClosed(trx, tenantId, conv.id, opts.reason);
  // Only missed calls ask for callbacks: other conversations have no task to close.
  if (conv.kind === 'voice') await closeOpenCallbackOf(trx, tenantId, conv.id, { actorId: opts.actorId, at: closed.closed_at ?? new Date() });
  await recordAssignment(trx, tenantId, {
    conversationId: conv.id,
    action: 'closed',
    agentId: conv.assignee_id,
    teamId: conv.team_id,
    actorId: opts.actorId,
    reason: opts.reason,
  });
  return closed;
}

/**
 * The tenant's drain lock (`sapa_drain_team`, migration 0008): held until commit. Whoever locks a waiting
 * conversation and then an agent takes it first, so that it never waits on a drain that holds the agent and wants the
 * conversation.
 */
async function takeDrainLock(trx: Db, tenantId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`sapa.drain/${tenantId}`}, 0))`.execute(trx);
}

export type TransferResult =
  | { ok: true; conversation: Conversation; freedTeamIds: string[] }
  | { ok: false; reason: 'not_found' | 'agent_not_found' | 'team_not_found' | 'agent_at_capacity' | 'closed' };

async function lockOpenConversation(
  trx: Db,
  tenantId: string,
  conversationId: string,
): Promise<Conversation | { ok: false; reason: 'not_found' | 'closed' }> {
  const conv = await lockConversation(trx, tenantId, conversationId);
  if (!conv) return { ok: false, reason: 'not_found' };
  if (conv.status === 'closed') return { ok: false, reason: 'closed' };
  return conv;
}

/** Hands a conversation to a named agent of the tenant, who must have room for it. */
export function transferToAgent(
  db: Kysely<DB>,
  tenantId: string,
  conversationId: string,
  agentId: string,
  opts: Actor & { note: string | null },
): Promise<TransferResult> {
  return db.transaction().execute(async (trx): Promise<TransferResult> => {
    // A waiting conversation is locked here and then the agent; a drain locks agents, then waiting conversations.
    await takeDrainLock(trx, tenantId);
    const conv = await lockOpenConversation(trx, tenantId, conversationId);
    if ('reason' in conv) return conv;
    if (!(await findAgent(trx, tenantId, agentId))) return { ok: false, reason: 'agent_not_found' };
    if (conv.assignee_id === agentId) return { ok: true, conversation: conv, freedTeamIds: [] };
    // Two transfers swapping agents would each hold one agent row and wait for the other: lock both in id order.
    await lockAgents(trx, tenantId, [agentId, ...(conv.assignee_id ? [conv.assignee_id] : [])]);
    if (!(await claimCapacity(trx, tenantId, agentId, conv.kind, { requireOnline: false }))) return { ok: false, reason: 'agent_at_capacity' };
    if (conv.assignee_id) await releaseCapacity(trx, tenantId, conv.assignee_id, conv.kind);
    const moved = await markAssigned(trx, tenantId, conversationId, agentId);
    await recordAssignment(trx, tenantId, {
      conversationId,
      action: 'transferred',
      agentId,
      teamId: conv.team_id,
      actorId: opts.actorId,
      reason: opts.note,
    });
    return { ok: true, conversation: moved, freedTeamIds: conv.assignee_id && conv.team_id ? [conv.team_id] : [] };
  });
}

/** Puts a conversation back in a team's queue (the router then assigns it); the previous agent's capacity is freed. */
export function transferToTeam(
  db: Kysely<DB>,
  tenantId: string,
  conversationId: string,
  teamId: string,
  opts: Actor & { note: string | null },
): Promise<TransferResult> {
  return db.transaction().execute(async (trx): Promise<TransferResult> => {
    const conv = await lockOpenConversation(trx, tenantId, conversationId);
    if ('reason' in conv) return conv;
    const team = await trx.selectFrom('teams').select('id').where('tenant_id', '=', tenantId).where('id', '=', teamId).executeTakeFirst();
    if (!team) return { ok: false, reason: 'team_not_found' };
    if (conv.assignee_id) await releaseCapacity(trx, tenantId, conv.assignee_id, conv.kind);
    const queued = await markQueued(trx, tenantId, conversationId, teamId);
    await recordAssignment(trx, tenantId, {
      conversationId,
      action: 'transferred',
      agentId: null,
      teamId,
      actorId: opts.actorId,
      reason: opts.note,
    });
    const freed = new Set([teamId, ...(conv.team_id ? [conv.team_id] : [])]);
    return { ok: true, conversation: queued, freedTeamIds: [...freed] };
  });
}

export type HoldResult =
  | { ok: true; conversation: Conversation; changed: boolean }
  | { ok: false; reason: 'not_found' | 'closed' | 'not_assigned' };

/**
 * Puts an assigned conversation on hold (the agent is checking something: customer-handling.md §Inactivity
 * nudges, "a conversation on hold has no clock") or takes it off hold. The agent keeps it and its capacity.
 * Asking for the state it is already in changes nothing.
 */
export function setOnHold(
  db: Kysely<DB>,
  tenantId: string,
  conversationId: string,
  onHold: boolean,
  opts: Actor,
): Promise<HoldResult> {
  return db.transaction().execute(async (trx): Promise<HoldResult> => {
    const conv = await lockOpenConversation(trx, tenantId, conversationId);
    if ('reason' in conv) return conv;
    const target = onHold ? 'on_hold' : 'assigned';
    if (conv.status === target) return { ok: true, conversation: conv, changed: false };
    if (conv.status === 'queued' || !conv.assignee_id) return { ok: false, reason: 'not_assigned' };
    const updated = await trx
      .updateTable('conversations')
      .set({ status: target })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', conversationId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAssignment(trx, tenantId, {
      conversationId,
      action: onHold ? 'held' : 'resumed',
      agentId: conv.assignee_id,
      teamId: conv.team_id,
      actorId: opts.actorId,
    });
    return { ok: true, conversation: updated, changed: true };
  });
}
