import { sql, type Kysely } from 'kysely';

/** The WhatsApp (issue 7): Baileys auth state and the Cloud API service window. */
export async function up(db: Kysely<unknown>): Promise<void> {
  // --- Baileys (services/whatsapp): linked-device auth state, sealed, one fenced writer per number ---
  await db.schema
    .createTable('whatsapp_sessions')
    .addColumn('channel_id', 'uuid', (c) => c.primaryKey().references('channels.id').onDelete('cascade'))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    // Baileys' AuthenticationCreds as BufferJSON, sealed with SAPA_SECRET_KEY; null until the first save.
    .addColumn('creds_enc', 'text')
    // The highest lease fencing token that has written here: a writer with a lower one is a replica that lost the lease.
    .addColumn('fence', 'bigint', (c) => c.notNull().defaultTo(0))
    // The current QR (as a PNG data URL) or pairing code while the number is being linked, sealed; null otherwise.
    .addColumn('pairing_enc', 'text')
    .addColumn('pairing_expires_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('whatsapp_keys')
    .addColumn('channel_id', 'uuid', (c) => c.notNull().references('whatsapp_sessions.channel_id').onDelete('cascade'))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    // Baileys' SignalDataTypeMap key: pre-key, session, sender-key, app-state-sync-key, lid-mapping, …
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('value_enc', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('whatsapp_keys_pk', ['channel_id', 'type', 'key_id'])
    .execute();
  // --- end of Baileys ---

  // --- Cloud API (services/gateway/src/channels/whatsapp-cloud): template messages ---
  // A message sent as an approved template (the only kind WhatsApp delivers outside the 24-hour customer-service
  // window) keeps a readable `messages.text` ("[template: name]") for agents; what goes on the wire is here.
  await db.schema
    .createTable('whatsapp_template_messages')
    .addColumn('message_id', 'uuid', (c) => c.primaryKey().references('messages.id').onDelete('cascade'))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('components', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // --- end of Cloud API ---
}
