import { sql, type Kysely } from 'kysely';

/**
 * The live chat (issue 8 item 2): its visitors (schemas/livechat.ts). A visitor is who filled in the pre-chat form
 * in one browser; the widget keeps their token in localStorage and the row keeps only its SHA-256, so a leaked
 * database resumes no one's chat.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('livechat_visitors')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('channel_id', 'uuid', (c) => c.notNull().references('channels.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text')
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('lang', 'text', (c) => c.notNull().defaultTo('id').check(sql`lang IN ('id', 'en')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`CREATE INDEX livechat_visitors_channel_idx ON livechat_visitors (tenant_id, channel_id, created_at)`.execute(db);
}
