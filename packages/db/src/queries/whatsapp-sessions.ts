import { sql } from 'kysely';
import type { Db } from './db-handle.js';
import { withinTenants } from './tenant-scan.js';

/**
 * The rows behind a Baileys session (schemas/whatsapp.ts): sealed credentials, sealed signal keys and the pairing
 * state of one `whatsapp_baileys` channel. Every write carries the writer's lease fencing token and is refused
 * (returns false) once a replica with a higher token has written: a replica that lost its lease while paused (GC,
 * network) cannot overwrite the keys of the replica that took the number over.
 */

/** A channel the WhatsApp service should keep a session for, across tenants (the service's own scan, never a route). */
export interface WhatsappChannelToRun {
  id: string;
  tenant_id: string;
  status: string;
  config: Record<string, unknown>;
}

/** The statuses of a number some replica runs a session for; every other status is an admin's or final. */
const SESSION_STATUSES = ['pairing', 'active'];

/** Channels whose number is being paired or is linked: the ones some replica must hold (of `onlyTenants` when given). */
export function listWhatsappChannelsToRun(db: Db, onlyTenants?: readonly string[]): Promise<WhatsappChannelToRun[]> {
  return db
    .selectFrom('channels')
    .select(['id', 'tenant_id', 'status', 'config'])
    .where('type', '=', 'whatsapp_baileys')
    .where('status', 'in', SESSION_STATUSES)
    .where(withinTenants(onlyTenants))
    .orderBy('created_at')
    .execute();
}

/**
 * Sets a `whatsapp_baileys` channel's status on an admin's word (pair again, unlink), whatever it was; false when it
 * already had it (nothing to announce) or is gone. A session's own writes go through moveWhatsappSessionStatus.
 */
export function setWhatsappChannelStatus(db: Db, tenantId: string, channelId: string, status: string): Promise<boolean> {
  return updateWhatsappStatus(db, tenantId, channelId, status);
}

/** Sets the status of a `whatsapp_baileys` channel that has another one (and one of `from`, when given); true when it did. */
async function updateWhatsappStatus(db: Db, tenantId: string, channelId: string, status: string, from?: readonly string[]): Promise<boolean> {
  let update = db
    .updateTable('channels')
    .set({ status })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', channelId)
    .where('type', '=', 'whatsapp_baileys')
    .where('status', '<>', status);
  if (from) update = update.where('status', 'in', from);
  return (await update.returning('id').executeTakeFirst()) !== undefined;
}

/** What a session's status write did: `moved`; `unchanged` (it had that status); `refused` (an admin's status stands). */
export type SessionStatusWrite = 'moved' | 'unchanged' | 'refused';

/**
 * The session's own status write (linked → `active`, a new QR → `pairing`, the phone's logout → `disconnected`, a
 * ban → `error`): only out of a status a session runs in. An admin's unlink (`disconnected`) or disable that lands
 * while a socket event is in hand — the socket reporting `open` after a reconnect, say — is then never undone: the
 * channel stays out of the scan's list and the holder logs the device out on its next scan.
 */
export async function moveWhatsappSessionStatus(db: Db, tenantId: string, channelId: string, status: string): Promise<SessionStatusWrite> {
  if (await updateWhatsappStatus(db, tenantId, channelId, status, SESSION_STATUSES)) return 'moved';
  const row = await db.selectFrom('channels').select('status').where('tenant_id', '=', tenantId).where('id', '=', channelId).executeTakeFirst();
  return row?.status === status ? 'unchanged' : 'refused';
}

export type ClaimResult = { ok: true } | { ok: false; fence: number };

/**
 * Takes the session rows for a new lease holder: creates the session row, or raises its fence to `fence`. Refused
 * when a higher token already wrote (Redis lost its fence counter, or this holder is stale): `fence` says how high.
 */
export async function claimWhatsappSession(db: Db, tenantId: string, channelId: string, fence: number): Promise<ClaimResult> {
  const claimed = await db
    .insertInto('whatsapp_sessions')
    .values({ channel_id: channelId, tenant_id: tenantId, fence })
    .onConflict((oc) =>
      oc
        .column('channel_id')
        .doUpdateSet({ fence, updated_at: sql`now()` })
        .where('whatsapp_sessions.fence', '<=', fence)
        .where('whatsapp_sessions.tenant_id', '=', tenantId),
    )
    .returning('fence')
    .executeTakeFirst();
  if (claimed) return { ok: true };
  const current = await db.selectFrom('whatsapp_sessions').select('fence').where('channel_id', '=', channelId).executeTakeFirst();
  return { ok: false, fence: current?.fence ?? 0 };
}

/** The fence currently on the session: equal to a holder's token while no one newer has taken the number. */
export async function currentWhatsappFence(db: Db, tenantId: string, channelId: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('whatsapp_sessions')
    .select('fence')
    .where('tenant_id', '=', tenantId)
    .where('channel_id', '=', channelId)
    .executeTakeFirst();
  return row?.fence;
}

export async function readWhatsappCreds(db: Db, tenantId: string, channelId: string): Promise<string | null> {
  const row = await db
    .selectFrom('whatsapp_sessions')
    .select('creds_enc')
    .where('tenant_id', '=', tenantId)
    .where('channel_id', '=', channelId)
    .executeTakeFirst();
  return row?.creds_enc ?? null;
}

/** Saves sealed credentials; false when a newer holder has written (nothing changed). */
export async function saveWhatsappCreds(db: Db, tenantId: string, channelId: string, fence: number, credsEnc: string): Promise<boolean> {
  const row = await db
    .updateTable('whatsapp_sessions')
    .set({ creds_enc: credsEnc, fence, updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('channel_id', '=', channelId)
    .where('fence', '<=', fence)
    .returning('channel_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function readWhatsappKeys(
  db: Db,
  tenantId: string,
  channelId: string,
  type: string,
  keyIds: readonly string[],
): Promise<{ key_id: string; value_enc: string }[]> {
  if (keyIds.length === 0) return [];
  return db
    .selectFrom('whatsapp_keys')
    .select(['key_id', 'value_enc'])
    .where('tenant_id', '=', tenantId)
    .where('channel_id', '=', channelId)
    .where('type', '=', type)
    .where('key_id', 'in', [...keyIds])
    .execute();
}

/** One key written (a sealed value) or removed (null). */
export interface KeyWrite {
  type: string;
  keyId: string;
  valueEnc: string | null;
}

/**
 * Writes a batch of keys in one transaction, behind the fence: the session row is updated first (its row lock
 * orders this batch against a new holder's claim), and nothing is written when a newer holder got there first.
 */
export function writeWhatsappKeys(db: Db, tenantId: string, channelId: string, fence: number, writes: readonly KeyWrite[]): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    if (!(await holdFence(trx, tenantId, channelId, fence))) return false;
    const upserts = writes.filter((w) => w.valueEnc !== null);
    const removals = writes.filter((w) => w.valueEnc === null);
    // One statement per 500 rows: pre-key uploads write dozens at once, history syncs hundreds.
    for (let i = 0; i < upserts.length; i += 500) {
      await trx
        .insertInto('whatsapp_keys')
        .values(
          upserts.slice(i, i + 500).map((w) => ({ channel_id: channelId, tenant_id: tenantId, type: w.type, key_id: w.keyId, value_enc: w.valueEnc! })),
        )
        .onConflict((oc) => oc.columns(['channel_id', 'type', 'key_id']).doUpdateSet({ value_enc: sql`excluded.value_enc`, updated_at: sql`now()` }))
        .execute();
    }
    for (const removal of removals) {
      await trx
        .deleteFrom('whatsapp_keys')
        .where('tenant_id', '=', tenantId)
        .where('channel_id', '=', channelId)
        .where('type', '=', removal.type)
        .where('key_id', '=', removal.keyId)
        .execute();
    }
    return true;
  });
}

/**
 * Forgets a number that was logged out: credentials and keys go, the fence stays (a stale holder is still refused).
 * The next session starts a fresh pairing.
 */
export function resetWhatsappSession(db: Db, tenantId: string, channelId: string, fence: number): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    if (!(await holdFence(trx, tenantId, channelId, fence))) return false;
    await trx.deleteFrom('whatsapp_keys').where('tenant_id', '=', tenantId).where('channel_id', '=', channelId).execute();
    await trx
      .updateTable('whatsapp_sessions')
      .set({ creds_enc: null, pairing_enc: null, pairing_expires_at: null })
      .where('tenant_id', '=', tenantId)
      .where('channel_id', '=', channelId)
      .execute();
    return true;
  });
}

/**
 * Forgets a number an admin unlinked (`DELETE /v1/channels/{id}/pairing`): credentials, keys and pairing state go,
 * whichever replica holds it. Not fenced, since the admin's word outranks every holder; the fence stays, so a stale
 * holder is still refused afterwards.
 */
export function forgetWhatsappSession(db: Db, tenantId: string, channelId: string): Promise<void> {
  return inTransaction(db, async (trx) => {
    await trx.deleteFrom('whatsapp_keys').where('tenant_id', '=', tenantId).where('channel_id', '=', channelId).execute();
    await trx
      .updateTable('whatsapp_sessions')
      .set({ creds_enc: null, pairing_enc: null, pairing_expires_at: null, updated_at: sql`now()` })
      .where('tenant_id', '=', tenantId)
      .where('channel_id', '=', channelId)
      .execute();
  });
}

/** Records the current QR or pairing code (sealed), or clears it (null); fenced like every other write. */
export async function setWhatsappPairing(
  db: Db,
  tenantId: string,
  channelId: string,
  fence: number,
  pairing: { pairingEnc: string; expiresAt: Date } | null,
): Promise<boolean> {
  const row = await db
    .updateTable('whatsapp_sessions')
    .set({ pairing_enc: pairing?.pairingEnc ?? null, pairing_expires_at: pairing?.expiresAt ?? null, fence, updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('channel_id', '=', channelId)
    .where('fence', '<=', fence)
    .returning('channel_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** The sealed pairing state of a channel while it is still valid, for `GET /v1/channels/{id}/pairing`. */
export async function readWhatsappPairing(db: Db, tenantId: string, channelId: string, now: Date = new Date()): Promise<string | undefined> {
  const row = await db
    .selectFrom('whatsapp_sessions')
    .select('pairing_enc')
    .where('tenant_id', '=', tenantId)
    .where('channel_id', '=', channelId)
    .where('pairing_expires_at', '>', now)
    .executeTakeFirst();
  return row?.pairing_enc ?? undefined;
}

async function holdFence(trx: Db, tenantId: string, channelId: string, fence: number): Promise<boolean> {
  const row = await trx
    .updateTable('whatsapp_sessions')
    .set({ fence, updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('channel_id', '=', channelId)
    .where('fence', '<=', fence)
    .returning('channel_id')
    .executeTakeFirst();
  return row !== undefined;
}

function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
