import { sql, type Kysely } from 'kysely';

/**
 * Calls agents place (issue 8 item 3, outbound): a call's direction, and the callback task as a record of its own, so
 * an outbound call can complete it (answered) or count an attempt (not answered) instead of the agent closing it by
 * hand. Before, a callback task was only its conversation waiting with callback priority and the missed call's flag.
 * A task still open when its conversation closes (an agent closing it by hand before any call reached the customer)
 * is `closed` in the same transaction, with when and by whom (`closed_by` null: Sapa closed it).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('voice_calls')
    .addColumn('direction', 'text', (c) => c.notNull().defaultTo('inbound').check(sql`direction IN ('inbound', 'outbound')`))
    .execute();

  await db.schema
    .createTable('voice_callbacks')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('conversation_id', 'uuid', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status IN ('open', 'done', 'closed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_attempt_at', 'timestamptz')
    .addColumn('done_at', 'timestamptz')
    .addColumn('done_by_call', 'uuid', (c) => c.references('voice_calls.id').onDelete('set null'))
    .addColumn('closed_at', 'timestamptz')
    // The user who closed the conversation, as `actor_id` elsewhere; null when Sapa closed it.
    .addColumn('closed_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Several missed calls of one customer join one waiting task: one open task per conversation.
  await sql`CREATE UNIQUE INDEX voice_callbacks_one_open ON voice_callbacks (conversation_id) WHERE status = 'open'`.execute(db);
  await sql`CREATE INDEX voice_callbacks_conversation_idx ON voice_callbacks (tenant_id, conversation_id, created_at)`.execute(db);

  // Callback tasks waiting now: their conversation is open and holds a missed call that asked for a callback.
  await sql`
    INSERT INTO voice_callbacks (tenant_id, conversation_id, created_at)
    SELECT c.tenant_id, c.id, min(v.created_at)
      FROM conversations c
      JOIN voice_calls v ON v.conversation_id = c.id AND v.tenant_id = c.tenant_id AND v.callback
     WHERE c.status <> 'closed'
     GROUP BY c.tenant_id, c.id`.execute(db);
}
