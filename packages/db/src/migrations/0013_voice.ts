import type { Kysely } from 'kysely';

/** The voice channel (issue 8 item 3): call records and callback tasks. */
export async function up(_db: Kysely<unknown>): Promise<void> {}
