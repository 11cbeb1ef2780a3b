import { sql, type Kysely } from 'kysely';

/** The inbound quarantine: what a channel received and could not read, kept instead of lost (schemas/inbound-quarantine.ts). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('inbound_quarantine')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('channel_id', 'uuid', (c) => c.references('channels.id').onDelete('set null'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('payload', 'bytea', (c) => c.notNull())
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('resolved_at', 'timestamptz')
    .execute();
  await sql`CREATE INDEX inbound_quarantine_open_idx ON inbound_quarantine (tenant_id, created_at) WHERE resolved_at IS NULL`.execute(db);
}
