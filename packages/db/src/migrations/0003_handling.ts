import { sql, type Kysely } from 'kysely';

/**
 * The Customer Handling flow (issue 4): the tenant's holiday calendar, the record of phases that quality
 * control reads, and the state the inactivity clock needs on each conversation.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tenant_holidays')
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('national', 'collective_leave')`))
    .addPrimaryKeyConstraint('tenant_holidays_pk', ['tenant_id', 'date', 'name'])
    .execute();

  // Every phase a conversation entered, who moved it and when; a skipped phase is a row with its reason
  // (customer-handling.md: "A phase may be skipped only explicitly ... QC reads the record").
  await db.schema
    .createTable('conversation_phases')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('conversation_id', 'uuid', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('phase', 'text', (c) => c.notNull())
    .addColumn('skipped', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('skip_reason', 'text')
    .addColumn('actor_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('conversation_phases_conv_idx').on('conversation_phases').columns(['conversation_id', 'created_at']).execute();

  // The inactivity clock (customer-handling.md §Inactivity nudges): the sequence number of the timers in force
  // (a fired timer whose seq is not current is stale and does nothing), and the last word of each side.
  await db.schema
    .alterTable('conversations')
    .addColumn('nudge_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_agent_message_at', 'timestamptz')
    .addColumn('last_contact_message_at', 'timestamptz')
    .execute();
}
