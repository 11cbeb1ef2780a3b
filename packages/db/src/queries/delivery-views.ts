import { sql, type SqlBool } from 'kysely';
import type { Delivery } from '../schema.js';
import type { Db } from './db-handle.js';

export interface DeliveryFilter {
  status?: Delivery['status'];
  /** Id of the last delivery of the previous page (newest first). */
  after?: string;
  limit: number;
}

/** A page of the tenant's outbound deliveries, newest first: what admins read to find and replay failures. */
export function listDeliveries(db: Db, tenantId: string, filter: DeliveryFilter): Promise<Delivery[]> {
  let q = db.selectFrom('deliveries as d').selectAll('d').where('d.tenant_id', '=', tenantId);
  if (filter.status) q = q.where('d.status', '=', filter.status);
  if (filter.after) {
    q = q.where(
      sql<SqlBool>`(d.created_at, d.id) < (SELECT created_at, id FROM deliveries WHERE tenant_id = ${tenantId} AND id = ${filter.after})`,
    );
  }
  return q.orderBy('d.created_at', 'desc').orderBy('d.id', 'desc').limit(filter.limit).execute();
}

/** One delivery of the tenant, or undefined (also when it belongs to another tenant). */
export function findDeliveryView(db: Db, tenantId: string, deliveryId: string): Promise<Delivery | undefined> {
  return db.selectFrom('deliveries').selectAll().where('tenant_id', '=', tenantId).where('id', '=', deliveryId).executeTakeFirst();
}
