import type { Contact } from '../schema.js';
import type { Db } from './db-handle.js';

export interface IdentityDetails {
  channelId: string;
  externalId: string;
  name?: string;
  phone?: string;
  email?: string;
}

/**
 * The contact behind a channel identity, created on first contact. Safe under concurrency: when two workers
 * race on a new identity, the unique (channel, external id) decides and the loser's contact row is removed.
 */
export async function upsertContactByIdentity(db: Db, tenantId: string, who: IdentityDetails): Promise<Contact> {
  const existing = await findByIdentity(db, tenantId, who.channelId, who.externalId);
  if (existing) return fillMissing(db, tenantId, existing, who);

  const contact = await db
    .insertInto('contacts')
    .values({ tenant_id: tenantId, name: who.name ?? null, phone: who.phone ?? null, email: who.email ?? null })
    .returningAll()
    .executeTakeFirstOrThrow();
  const identity = await db
    .insertInto('contact_identities')
    .values({ tenant_id: tenantId, contact_id: contact.id, channel_id: who.channelId, external_id: who.externalId })
    .onConflict((oc) => oc.columns(['channel_id', 'external_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (identity) return contact;

  await db.deleteFrom('contacts').where('tenant_id', '=', tenantId).where('id', '=', contact.id).execute();
  const winner = await findByIdentity(db, tenantId, who.channelId, who.externalId);
  if (!winner) throw new Error('contact identity vanished during upsert');
  return winner;
}

function findByIdentity(db: Db, tenantId: string, channelId: string, externalId: string): Promise<Contact | undefined> {
  return db
    .selectFrom('contact_identities as i')
    .innerJoin('contacts as c', 'c.id', 'i.contact_id')
    .selectAll('c')
    .where('i.tenant_id', '=', tenantId)
    .where('i.channel_id', '=', channelId)
    .where('i.external_id', '=', externalId)
    .executeTakeFirst();
}

/** A channel may tell us a name or phone later than the first message; keep what an agent may have edited. */
async function fillMissing(db: Db, tenantId: string, contact: Contact, who: IdentityDetails): Promise<Contact> {
  const patch: { name?: string; phone?: string; email?: string } = {};
  if (!contact.name && who.name) patch.name = who.name;
  if (!contact.phone && who.phone) patch.phone = who.phone;
  if (!contact.email && who.email) patch.email = who.email;
  if (Object.keys(patch).length === 0) return contact;
  return db
    .updateTable('contacts')
    .set({ ...patch, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', contact.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The channel's own id of the contact (the `to` of an outbound message). */
export async function findExternalId(db: Db, tenantId: string, contactId: string, channelId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('contact_identities')
    .select('external_id')
    .where('tenant_id', '=', tenantId)
    .where('contact_id', '=', contactId)
    .where('channel_id', '=', channelId)
    .executeTakeFirst();
  return row?.external_id;
}
