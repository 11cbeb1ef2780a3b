import { sql, type Kysely } from 'kysely';

/**
 * A message may answer an earlier one (a quoted reply: the customer's swipe-to-reply, an agent answering a particular
 * question). The link is resolved when the message is stored, from the channel's id of the quoted message; a quote of
 * something Sapa never stored has none. Deleting the quoted message leaves the answer standing, unlinked.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('messages')
    .addColumn('reply_to_message_id', 'uuid', (c) => c.references('messages.id').onDelete('set null'))
    .execute();
  // The foreign key's ON DELETE looks answers up by the quoted id; few messages are answers, so the index stays small.
  await sql`CREATE INDEX messages_reply_to_idx ON messages (reply_to_message_id) WHERE reply_to_message_id IS NOT NULL`.execute(db);
}
