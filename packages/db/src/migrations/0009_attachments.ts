import { sql, type Kysely } from 'kysely';

/** Attachments (issue 7 item 4): the rows behind stored files; the bytes sit in an AttachmentStore (schemas/attachments.ts). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('attachments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('channel_id', 'uuid', (c) => c.references('channels.id').onDelete('set null'))
    .addColumn('origin', 'text', (c) => c.notNull().check(sql`origin IN ('inbound', 'upload')`))
    .addColumn('storage_key', 'text', (c) => c.notNull().unique())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('filename', 'text')
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`CREATE INDEX attachments_tenant_idx ON attachments (tenant_id, created_at)`.execute(db);
}
