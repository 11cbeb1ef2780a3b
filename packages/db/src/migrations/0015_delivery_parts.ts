import { sql, type Kysely } from 'kysely';

/**
 * How many calls of a multi-part reply (a text, then files) the channel has taken, so a retry after a failure half-way
 * sends only the rest: the channels' APIs (Telegram, Meta's Send API, WhatsApp Cloud) have no idempotency key.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('deliveries').addColumn('parts_sent', 'integer', (c) => c.notNull().defaultTo(sql`0`)).execute();
}
