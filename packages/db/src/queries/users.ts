import type { User } from '../schema.js';
import type { Db } from './db-handle.js';

/**
 * The user who owns this login email, in any tenant: login takes only an email, and an email names one
 * user across all tenants (unique index on lower(email)). The only user lookup without a tenant.
 */
export function findUserForLogin(db: Db, email: string): Promise<User | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
}

/** A user of the tenant, or undefined (also when the id belongs to another tenant). */
export function findUser(db: Db, tenantId: string, userId: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).where('id', '=', userId).executeTakeFirst();
}
