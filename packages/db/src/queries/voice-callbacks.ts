import { sql, type Selectable } from 'kysely';
import type { VoiceCallbacksTable } from '../schemas/voice.js';
import type { Db } from './db-handle.js';

/**
 * Callback tasks (migration 0017): a missed call asks an agent to ring the customer back; the first call that reaches
 * the customer completes the task, an outbound call nobody answered counts an attempt. The voice service writes them
 * under the tenant's drain lock, in the transaction of the call event; the inbox API reads them.
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
 * The conversation's latest callback task with what it means now: an open task whose conversation was closed (by its
 * agent, before any call reached the customer) reads `closed`.
 */
export async function latestCallbackOf(db: Db, tenantId: string, conversationId: string): Promise<(VoiceCallback & { shown_status: 'open' | 'done' | 'closed' }) | undefined> {
  const row = await db
    .selectFrom('voice_callbacks as cb')
    .innerJoin('conversations as c', 'c.id', 'cb.conversation_id')
    .selectAll('cb')
    .select('c.status as conversation_status')
    .where('cb.tenant_id', '=', tenantId)
    .where('cb.conversation_id', '=', conversationId)
    .orderBy('cb.created_at', 'desc')
    .orderBy('cb.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  const { conversation_status, ...task } = row;
  return { ...task, shown_status: task.status === 'open' && conversation_status === 'closed' ? 'closed' : task.status };
}
