import { sql, type Kysely } from 'kysely';

/**
 * The voice channel (issue 8 item 3): agents' PBX extensions, call records and the events applied to them.
 * A call is a conversation of kind `voice`; its record (`voice_calls`) keeps what a conversation has no room for:
 * the times, the duration, the recording and whether a missed call asks for a callback.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // The extension a PBX names in its call events (MicroSIP softphones behind Asterisk): one agent per extension.
  await db.schema.alterTable('agents').addColumn('extension', 'text').execute();
  await sql`CREATE UNIQUE INDEX agents_extension_idx ON agents (tenant_id, extension) WHERE extension IS NOT NULL`.execute(db);

  await db.schema
    .createTable('voice_calls')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('channel_id', 'uuid', (c) => c.notNull().references('channels.id').onDelete('cascade'))
    // The PBX's id of the call (Asterisk's Linkedid, a webhook's callId): the same on every event of one call.
    .addColumn('call_id', 'text', (c) => c.notNull())
    // Null until the call has an agent, or has ended (a call still in the IVR or a PBX queue has no conversation yet).
    .addColumn('conversation_id', 'uuid', (c) => c.references('conversations.id').onDelete('set null'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('ringing', 'answered', 'ended', 'missed')`))
    .addColumn('caller', 'text', (c) => c.notNull())
    .addColumn('caller_name', 'text')
    .addColumn('called_number', 'text')
    .addColumn('agent_extension', 'text')
    .addColumn('agent_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('ringing_at', 'timestamptz')
    .addColumn('answered_at', 'timestamptz')
    .addColumn('ended_at', 'timestamptz')
    .addColumn('duration_seconds', 'integer')
    .addColumn('recording_url', 'text')
    .addColumn('missed_reason', 'text', (c) => c.check(sql`missed_reason IN ('no_answer', 'abandoned', 'busy', 'unavailable')`))
    .addColumn('callback', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('voice_calls_call', ['channel_id', 'call_id'])
    .execute();
  await sql`CREATE INDEX voice_calls_conversation_idx ON voice_calls (tenant_id, conversation_id)`.execute(db);

  // Every event applied, once: a PBX retrying a webhook or an AMI session replayed after a reconnect changes nothing.
  await db.schema
    .createTable('voice_call_events')
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('channel_id', 'uuid', (c) => c.notNull().references('channels.id').onDelete('cascade'))
    .addColumn('call_id', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    // '' when the event names no extension: part of the key, since a PBX queue rings several extensions in turn.
    .addColumn('agent_extension', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('voice_call_events_pk', ['channel_id', 'call_id', 'event', 'agent_extension'])
    .execute();
}
