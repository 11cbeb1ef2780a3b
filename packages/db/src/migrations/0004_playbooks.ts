import { sql, type Kysely } from 'kysely';

/**
 * Playbooks (issue 5): the complaint SOP as data, versioned per tenant. `PUT /v1/playbooks` publishes a new
 * version of each playbook it changes; the newest version of a key is the one in force, and a ticket keeps the
 * version it started with (so old versions are never deleted).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('playbook_versions')
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('group', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'jsonb', (c) => c.notNull())
    .addColumn('published_by', 'uuid')
    .addColumn('published_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('playbook_versions_pk', ['tenant_id', 'key', 'version'])
    .execute();
}
