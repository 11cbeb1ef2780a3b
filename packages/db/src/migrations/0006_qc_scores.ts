import { sql, type Kysely } from 'kysely';

/** Quality control's scores of a conversation (issue 5 item 7): one row per scoring, never edited. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('qc_scores')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('conversation_id', 'uuid', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    // The agent scored: the conversation's assignee when it was scored.
    .addColumn('agent_id', 'uuid')
    .addColumn('scorer_id', 'uuid', (c) => c.notNull())
    .addColumn('criteria', 'jsonb', (c) => c.notNull())
    .addColumn('total', sql`numeric(5,2)`, (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('qc_scores_agent_idx').on('qc_scores').columns(['tenant_id', 'agent_id', 'created_at']).execute();
  await db.schema.createIndex('qc_scores_conversation_idx').on('qc_scores').columns(['conversation_id']).execute();
}
