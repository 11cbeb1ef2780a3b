import { sql, type Kysely } from 'kysely';

/** The email channel (issue 8 item 1): mailbox checkpoints, message threading ids, bounces (schemas/email.ts). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('email_mailboxes')
    .addColumn('channel_id', 'uuid', (c) => c.primaryKey().references('channels.id').onDelete('cascade'))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('mailbox', 'text', (c) => c.notNull())
    .addColumn('uid_validity', 'bigint', (c) => c.notNull())
    .addColumn('last_uid', 'bigint', (c) => c.notNull())
    .addColumn('resyncs', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('email_messages')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('channel_id', 'uuid', (c) => c.notNull().references('channels.id').onDelete('cascade'))
    .addColumn('rfc_message_id', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull().check(sql`direction IN ('in', 'out')`))
    .addColumn('message_id', 'uuid', (c) => c.references('messages.id').onDelete('set null'))
    .addColumn('subject', 'text')
    .addColumn('in_reply_to', 'text')
    .addColumn('references', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('from_address', 'text')
    .addColumn('to_addresses', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('cc_addresses', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('html', 'text')
    .addColumn('attachments', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('refused_attachments', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('bounce', 'jsonb')
    .addColumn('uid_validity', 'bigint')
    .addColumn('uid', 'bigint')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('bounced_at', 'timestamptz')
    // Dedupe on Message-ID: the same mail read twice (a rescan after UIDVALIDITY changed, a crash before the
    // checkpoint) is one row.
    .addUniqueConstraint('email_messages_channel_rfc_id', ['channel_id', 'rfc_message_id'])
    .execute();
  await sql`CREATE INDEX email_messages_message_idx ON email_messages (message_id) WHERE message_id IS NOT NULL`.execute(db);

  // The router's third way in (services/router persist-inbound.ts): a mail that answers a thread joins the thread's
  // conversation, as long as it is open, whoever on the thread wrote it (a colleague in Cc, another address of the
  // customer). Same shape and locks as sapa_append_inbound of migration 0002; nothing when the conversation is closed,
  // of another channel or gone, and the caller falls back to the contact's own conversation.
  await sql`
CREATE FUNCTION sapa_append_inbound_to(
  p_tenant uuid, p_channel uuid, p_conversation uuid, p_external text, p_text text, p_attachments jsonb, p_sent_at timestamptz)
RETURNS TABLE (o_conversation jsonb, o_contact_name text, o_message_id uuid, o_message_created_at timestamptz)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_conversation_id uuid;
BEGIN
  SELECT c.id, k.name INTO v_conversation_id, o_contact_name
    FROM conversations c JOIN contacts k ON k.id = c.contact_id
   WHERE c.tenant_id = p_tenant AND c.id = p_conversation AND c.channel_id = p_channel AND c.status <> 'closed'
     FOR UPDATE OF c;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  INSERT INTO messages (tenant_id, conversation_id, channel_id, direction, author_type, text, attachments, status, external_id, sent_at)
  VALUES (p_tenant, v_conversation_id, p_channel, 'in', 'contact', p_text, p_attachments, 'received', p_external, p_sent_at)
  ON CONFLICT (channel_id, external_id) DO NOTHING
  RETURNING id, created_at INTO o_message_id, o_message_created_at;
  IF o_message_id IS NOT NULL THEN
    UPDATE conversations c SET last_message_at = o_message_created_at WHERE c.id = v_conversation_id RETURNING to_jsonb(c) INTO o_conversation;
  ELSE
    SELECT to_jsonb(c) INTO o_conversation FROM conversations c WHERE c.id = v_conversation_id;
  END IF;
  RETURN NEXT;
END
$fn$`.execute(db);
}
