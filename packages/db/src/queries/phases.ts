import { sql } from 'kysely';
import type { Db } from './db-handle.js';

/** One step of a conversation's phase record (customer-handling.md: "QC reads the record"). */
export interface PhaseStep {
  phase: string;
  /** True for a phase passed over on purpose; `skipReason` says why. */
  skipped: boolean;
  skipReason: string | null;
  actorId: string | null;
}

export interface PhaseRecordRow {
  phase: string;
  skipped: boolean;
  skip_reason: string | null;
  actor_id: string | null;
  created_at: Date;
}

/**
 * Appends steps to the record in the order given. Run it in the transaction that changes `conversations.phase`,
 * with the conversation row locked. Each row takes clock_timestamp(), not the transaction's start time, so a move
 * that waited for the lock is still recorded after the move it waited for, and steps of one move keep their order.
 */
export async function recordPhaseSteps(db: Db, tenantId: string, conversationId: string, steps: PhaseStep[]): Promise<void> {
  for (const step of steps) {
    // One statement per step: clock_timestamp() then grows from row to row.
    await db
      .insertInto('conversation_phases')
      .values({
        tenant_id: tenantId,
        conversation_id: conversationId,
        phase: step.phase,
        skipped: step.skipped,
        skip_reason: step.skipReason,
        actor_id: step.actorId,
        created_at: sql<Date>`clock_timestamp()`,
      })
      .execute();
  }
}

/** Sets the conversation's current phase (the caller holds its row lock and has recorded the steps). */
export async function setConversationPhase(db: Db, tenantId: string, conversationId: string, phase: string): Promise<void> {
  await db.updateTable('conversations').set({ phase }).where('tenant_id', '=', tenantId).where('id', '=', conversationId).execute();
}

/** The conversation's phase record, oldest first. */
export function listPhaseRecord(db: Db, tenantId: string, conversationId: string): Promise<PhaseRecordRow[]> {
  return db
    .selectFrom('conversation_phases')
    .select(['phase', 'skipped', 'skip_reason', 'actor_id', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .where('conversation_id', '=', conversationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}
