import type { Db } from './db-handle.js';

export interface AuditEntry {
  actorId: string | null;
  /** What was done, as `<target>.<verb>`: `channel.created`, `api_token.created`, `delivery.replayed`. */
  action: string;
  targetType: string;
  targetId: string | null;
  /** Context for a reader; never secrets or tokens. */
  details?: Record<string, unknown>;
}

/** Appends an admin action to the tenant's audit log. Run it in the transaction of the change it records. */
export async function recordAudit(db: Db, tenantId: string, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      tenant_id: tenantId,
      actor_id: entry.actorId,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

export function listAudit(db: Db, tenantId: string, limit = 100) {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
