import type { Kysely } from 'kysely';

/** The WhatsApp (issue 7): Baileys auth state and the Cloud API service window. */
export async function up(_db: Kysely<unknown>): Promise<void> {}
