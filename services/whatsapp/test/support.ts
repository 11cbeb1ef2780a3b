import type { Kysely } from 'kysely';
import type { DB } from '@sapa/db';

/** A `whatsapp_baileys` channel row of the tenant, in the given status. */
export async function insertWhatsappChannel(db: Kysely<DB>, tenantId: string, status = 'pairing', config: Record<string, unknown> = {}): Promise<string> {
  const row = await db
    .insertInto('channels')
    .values({ tenant_id: tenantId, type: 'whatsapp_baileys', name: 'WA Baileys', status, config: JSON.stringify(config), secrets_enc: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Polls until a check holds (@sapa/test-support's waitUntil, under the name these tests use). */
export { waitUntil as waitFor } from '@sapa/test-support';
