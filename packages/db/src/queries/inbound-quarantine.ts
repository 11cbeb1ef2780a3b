import type { Db } from './db-handle.js';

export interface QuarantineEntry {
  tenantId: string;
  channelId: string | null;
  source: string;
  reason: string;
  payload: Buffer | string;
  details?: Record<string, unknown>;
}

/**
 * Keeps something a channel received and could not read (schemas/inbound-quarantine.ts). Readers call this instead of
 * throwing the input away, then acknowledge it at the source: it is now held here, not lost.
 */
export async function quarantineInbound(db: Db, entry: QuarantineEntry): Promise<string> {
  const row = await db
    .insertInto('inbound_quarantine')
    .values({
      tenant_id: entry.tenantId,
      channel_id: entry.channelId,
      source: entry.source,
      reason: entry.reason.slice(0, 2000),
      payload: Buffer.isBuffer(entry.payload) ? entry.payload : Buffer.from(entry.payload, 'utf8'),
      details: JSON.stringify(entry.details ?? {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The tenant's unresolved quarantine, newest first, without the payloads (they can be large). */
export function listQuarantine(db: Db, tenantId: string, limit = 100) {
  return db
    .selectFrom('inbound_quarantine')
    .select(['id', 'channel_id', 'source', 'reason', 'details', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .where('resolved_at', 'is', null)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}
