import { sql, type Selectable } from 'kysely';
import type { VoiceCallbacksTable } from '../schemas/voice.js';
import type { Db } from './db-handle.js';

/**
 * Callback tasks (migration 0017): a missed call asks an agent to ring the customer back; the first call that reaches
 * the customer completes the task, an outbound call nobody answered counts an attempt, and a task still open when its
 * conversation closes closes with it (closeLocked). The voice service writes them under the tenant's drain lock, in the
 * transaction of the call event; the inbox API reads them.
 */
export type VoiceCallback = Selectable<VoiceCallbacksTable>;

/** The conversation's open callback task, made when none is open (several missed calls join one task). */
export async function openCallbackTask(db: Db, tenantId: string, conversationId: string): Promise<VoiceCallback> {
  const open = await lockOpenCallbackOf(db, tenantId, conversationId);
  if (open) return open;
  return db.insertInto('voice_callbacks').values({ tenant_id: tenantId, conversation_id: conversationId }).returningAll().executeTakeFirstOrThrow();
}

/** The conversation's open callback task, locked for the rest of the transaction. */
export function lockOpenCallbackOf(db: Db, tenantId: string, conversationId: string): Promise<VoiceCallback | undefined> {
  return db
    .selectFrom('voice_callbacks')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('conversation_id', '=', conversationId)
    .where('status', '=', 'open')
    .forUpdate()
    .executeTakeFirst();
}

/** Counts an outbound call the customer did not answer; the task stays open. */
export function recordCallbackAttempt(db: Db, tenantId: string, callbackId: string, at: Date): Promise<VoiceCallback> {
  return db
    .updateTable('voice_callbacks')
    .set({ attempts: sql`attempts + 1`, last_attempt_at: sql`GREATEST(last_attempt_at, ${at}::timestamptz)`, updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', callbackId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Marks the task done by the call (`voice_calls.id`) that reached the customer. */
export function completeCallback(db: Db, tenantId: string, callbackId: string, callRecordId: string, at: Date): Promise<VoiceCallback> {
  return db
    .updateTable('voice_callbacks')
    .set({ status: 'done', done_at: at, done_by_call: callRecordId, updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', callbackId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Closes the conversation's open callback task, if any: its conversation is closing (by an agent, before any call
 * reached the customer, or by Sapa) in the caller's transaction. `actorId` null: Sapa closed it.
 */
export async function closeOpenCallbackOf(db: Db, tenantId: string, conversationId: string, by: { actorId: string | null; at: Date }): Promise<void> {
  await db
    .updateTable('voice_callbacks')
    .set({ status: 'closed', closed_at: by.at, closed_by: by.actorId, updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('conversation_id', '=', conversationId)
    .where('status', '=', 'open')
    .execute();
}

/** The conversation's latest callback task: `open`, `done` by a call, or `closed` with its conversation. */
export function latestCallbackOf(db: Db, tenantId: string, conversationId: string): Promise<VoiceCallback | undefined> {
  return db
    .selectFrom('voice_callbacks')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('conversation_id', '=', conversationId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}
