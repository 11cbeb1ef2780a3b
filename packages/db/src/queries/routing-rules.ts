import type { RoutingRule } from '@sapa/contracts';
import type { Db } from './db-handle.js';

/** The tenant's routing rules in order (first match wins); the routers read them for each new conversation. */
export async function listRoutingRules(db: Db, tenantId: string): Promise<RoutingRule[]> {
  const rows = await db.selectFrom('routing_rules').select(['key', 'rule']).where('tenant_id', '=', tenantId).orderBy('position').execute();
  return rows.map((r) => ({ key: r.key, ...(r.rule as Omit<RoutingRule, 'key'>) }));
}

/**
 * Replaces the tenant's rules with `items` (validated by the caller: unique keys, the tenant's teams and channels),
 * position = index. The tenant row is locked first, so two replacements at once run one after the other instead
 * of clashing on (tenant, position).
 */
export function replaceRoutingRules(db: Db, tenantId: string, items: RoutingRule[]): Promise<RoutingRule[]> {
  return inTransaction(db, async (trx) => {
    await trx.selectFrom('tenants').select('id').where('id', '=', tenantId).forNoKeyUpdate().execute();
    await trx.deleteFrom('routing_rules').where('tenant_id', '=', tenantId).execute();
    if (items.length > 0) {
      await trx
        .insertInto('routing_rules')
        .values(items.map(({ key, ...rule }, position) => ({ tenant_id: tenantId, position, key, rule: JSON.stringify(rule) })))
        .execute();
    }
    return listRoutingRules(trx, tenantId);
  });
}

/** Those of `channelIds` that are not channels of this tenant (unknown, or another tenant's). */
export async function unknownChannelIds(db: Db, tenantId: string, channelIds: string[]): Promise<string[]> {
  if (channelIds.length === 0) return [];
  const rows = await db.selectFrom('channels').select('id').where('tenant_id', '=', tenantId).where('id', 'in', channelIds).execute();
  const known = new Set(rows.map((r) => r.id));
  return channelIds.filter((id) => !known.has(id));
}

/** Runs `fn` in the caller's transaction when there is one, else in a new one. */
function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
