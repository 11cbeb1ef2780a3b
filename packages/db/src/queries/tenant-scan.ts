import type { ExpressionBuilder } from 'kysely';
import type { DB } from '../schema.js';

/**
 * The tenant filter of a scan across tenants (the channels a service must hold: mailboxes, WhatsApp numbers, PBXs):
 * every tenant when `onlyTenants` is absent (production), only those listed otherwise. Tests share one database, and
 * a test's replicas must not pick up the channels another test file created.
 */
export function withinTenants(onlyTenants: readonly string[] | undefined) {
  return (eb: ExpressionBuilder<DB, 'channels'>) => {
    if (onlyTenants === undefined) return eb.lit(true);
    return onlyTenants.length === 0 ? eb.lit(false) : eb('channels.tenant_id', 'in', onlyTenants);
  };
}
