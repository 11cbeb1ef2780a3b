import { sql } from 'kysely';
import type { Conversation } from '../schema.js';
import type { Db } from './db-handle.js';

export function findConversation(db: Db, tenantId: string, id: string): Promise<Conversation | undefined> {
  return db.selectFrom('conversations').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

/** Locks a conversation row for the rest of the transaction (every state change goes through here). */
export function lockConversation(db: Db, tenantId: string, id: string): Promise<Conversation | undefined> {
  return db.selectFrom('conversations').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst();
}

/**
 * Hands a team's waiting conversations to its online agents with room, highest priority then oldest first,
 * at most `max` of them, in one call of `sapa_drain_team` (migration 0008); `prefer` is an external allocator's
 * answer for the head conversation, taken when that agent is suitable. Returns those assigned.
 */
export async function drainTeamQueue(
  db: Db,
  tenantId: string,
  teamId: string,
  max: number,
  prefer?: { conversationId: string; agentId: string },
): Promise<Conversation[]> {
  const { rows } = await sql<Conversation>`SELECT * FROM sapa_drain_team(${tenantId}, ${teamId}, ${max}, ${prefer?.conversationId ?? null}::uuid, ${prefer?.agentId ?? null}::uuid)`.execute(db);
  return rows;
}

/** The conversation a drain of the team takes first (priority, then oldest), without locking it. */
export function queueHead(db: Db, tenantId: string, teamId: string): Promise<Conversation | undefined> {
  return db
    .selectFrom('conversations')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('team_id', '=', teamId)
    .where('status', '=', 'queued')
    .orderBy('priority', 'desc')
    .orderBy('queued_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

/** Teams that have conversations waiting, per tenant: what a periodic drain looks at. */
export function teamsWithQueue(db: Db): Promise<Array<{ tenant_id: string; team_id: string | null }>> {
  // The only query without a tenant: it lists work for the router across tenants, and each drain is scoped.
  return db.selectFrom('conversations').select(['tenant_id', 'team_id']).where('status', '=', 'queued').distinct().execute();
}

export function markAssigned(db: Db, tenantId: string, id: string, agentId: string): Promise<Conversation> {
  return db
    .updateTable('conversations')
    .set({ status: 'assigned', assignee_id: agentId, assigned_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function markQueued(db: Db, tenantId: string, id: string, teamId: string | null): Promise<Conversation> {
  return db
    .updateTable('conversations')
    .set({ status: 'queued', assignee_id: null, assigned_at: null, team_id: teamId, queued_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function markClosed(db: Db, tenantId: string, id: string, reason: string | null): Promise<Conversation> {
  return db
    .updateTable('conversations')
    .set({ status: 'closed', close_reason: reason, closed_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Contact and channel type of some conversations: what an event about them needs beside the row. */
export function contactsAndChannelTypes(db: Db, tenantId: string, ids: string[]) {
  return db
    .selectFrom('conversations as c')
    .innerJoin('contacts as k', 'k.id', 'c.contact_id')
    .innerJoin('channels as ch', 'ch.id', 'c.channel_id')
    .select(['c.id', 'k.id as contact_id', 'k.name as contact_name', 'ch.type as channel_type'])
    .where('c.tenant_id', '=', tenantId)
    .where('c.id', 'in', ids)
    .execute();
}

/** What the tenant's routing rules decided for a new conversation (decideRouting of @sapa/routing). */
export interface RoutingDecisionRow {
  ruleKey: string | null;
  teamId: string | null;
  priority: number;
  skills: Record<string, number>;
  language: string | null;
}

/**
 * Gives a new conversation its queue, priority and needs, in the transaction that created it, so no drain sees it
 * before the rules did. A rule's team replaces the channel's.
 */
export function applyRoutingDecision(db: Db, tenantId: string, id: string, d: RoutingDecisionRow): Promise<Conversation> {
  return db
    .updateTable('conversations')
    .set({
      ...(d.teamId ? { team_id: d.teamId } : {}),
      priority: d.priority,
      required_skills: JSON.stringify(d.skills),
      language: d.language,
      routing_rule: d.ruleKey,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
