import type { Kysely } from 'kysely';

/** The live chat (issue 8 item 2): visitors and their resume tokens. */
export async function up(_db: Kysely<unknown>): Promise<void> {}
