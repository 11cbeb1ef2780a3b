import { sql } from 'kysely';
import type { Db } from './db-handle.js';

export interface ContactProfile {
  id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  /** The profile attributes verification compares (registeredName, agentId, registeredPhone, uplineId). */
  attributes: Record<string, unknown>;
  identities: Array<{ channelId: string; externalId: string }>;
  createdAt: Date;
  updatedAt: Date;
}

/** A contact of the tenant with its channel identities, or undefined (also for another tenant's id). */
export async function findContact(db: Db, tenantId: string, contactId: string): Promise<ContactProfile | undefined> {
  const row = await db
    .selectFrom('contacts')
    .select(['id', 'name', 'phone', 'email', 'attributes', 'created_at', 'updated_at'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', contactId)
    .executeTakeFirst();
  if (!row) return undefined;
  const identities = await db
    .selectFrom('contact_identities')
    .select(['channel_id', 'external_id'])
    .where('tenant_id', '=', tenantId)
    .where('contact_id', '=', contactId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return {
    id: row.id,
    name: row.name,
    phone: row.phone,
    email: row.email,
    attributes: row.attributes ?? {},
    identities: identities.map((i) => ({ channelId: i.channel_id, externalId: i.external_id })),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface ContactChange {
  name?: string;
  /** Merged over the stored attributes; a `null` value removes that attribute. */
  attributes?: Record<string, string | null>;
}

/**
 * Applies a profile change in one statement (jsonb merge, so two patches of different attributes both land) and
 * answers the contact afterwards; undefined when the tenant has no such contact.
 */
export async function updateContact(db: Db, tenantId: string, contactId: string, change: ContactChange): Promise<ContactProfile | undefined> {
  const set = Object.entries(change.attributes ?? {});
  const merge = Object.fromEntries(set.filter(([, v]) => v !== null));
  const removed = set.filter(([, v]) => v === null).map(([k]) => k);
  const updated = await db
    .updateTable('contacts')
    .set({
      ...(change.name !== undefined ? { name: change.name } : {}),
      attributes: sql`(coalesce(attributes, '{}'::jsonb) || ${JSON.stringify(merge)}::jsonb) - ${sql.val(removed)}::text[]`,
      updated_at: sql`now()`,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', contactId)
    .returning('id')
    .executeTakeFirst();
  return updated ? findContact(db, tenantId, contactId) : undefined;
}
