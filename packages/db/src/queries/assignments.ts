import type { AssignmentsTable } from '../schema.js';
import type { Db } from './db-handle.js';

export interface AssignmentEntry {
  conversationId: string;
  action: AssignmentsTable['action'];
  agentId?: string | null;
  teamId?: string | null;
  actorId?: string | null;
  reason?: string | null;
}

/** Appends to a conversation's assignment history (who held it, when, why). Never updated, never deleted. */
export async function recordAssignment(db: Db, tenantId: string, e: AssignmentEntry): Promise<void> {
  await db
    .insertInto('assignments')
    .values({
      tenant_id: tenantId,
      conversation_id: e.conversationId,
      action: e.action,
      agent_id: e.agentId ?? null,
      team_id: e.teamId ?? null,
      actor_id: e.actorId ?? null,
      reason: e.reason ?? null,
    })
    .execute();
}

export function listAssignments(db: Db, tenantId: string, conversationId: string) {
  return db
    .selectFrom('assignments')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('conversation_id', '=', conversationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}
