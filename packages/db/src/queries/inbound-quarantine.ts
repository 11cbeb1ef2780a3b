import { sql } from 'kysely';
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

/** The tenant's quarantine, newest first, without the payloads (they can be large): open, resolved, or all. */
export function listQuarantine(db: Db, tenantId: string, options: { state: 'open' | 'resolved' | 'all'; limit: number }) {
  let query = db
    .selectFrom('inbound_quarantine')
    .select(['id', 'channel_id', 'source', 'reason', 'details', 'created_at', 'resolved_at', sql<number>`octet_length(payload)`.as('size')])
    .where('tenant_id', '=', tenantId);
  if (options.state === 'open') query = query.where('resolved_at', 'is', null);
  if (options.state === 'resolved') query = query.where('resolved_at', 'is not', null);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
}

/** One kept item with its bytes, for an admin to read or feed back by hand. */
export function findQuarantined(db: Db, tenantId: string, id: string) {
  return db.selectFrom('inbound_quarantine').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

/** Marks an item looked at (kept, for the record): the item as listed, or undefined when there is no such open item. */
export function resolveQuarantined(db: Db, tenantId: string, id: string) {
  return db
    .updateTable('inbound_quarantine')
    .set({ resolved_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('resolved_at', 'is', null)
    .returning(['id', 'channel_id', 'source', 'reason', 'details', 'created_at', 'resolved_at', sql<number>`octet_length(payload)`.as('size')])
    .executeTakeFirst();
}
