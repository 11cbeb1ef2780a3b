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

/** Polls until `check` holds (or gives up after `timeoutMs`): for things that happen on their own clock. */
export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000, stepMs = 25): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error('waitFor: condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}
