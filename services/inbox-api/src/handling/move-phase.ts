import type { Kysely } from 'kysely';
import type { DB } from '@sapa/db';
import { lockConversation } from '@sapa/db/queries/conversations';
import { recordPhaseSteps, setConversationPhase, type PhaseStep } from '@sapa/db/queries/phases';
import { nextPhase, type Phase } from '@sapa/handling';

export type PhaseMove =
  | { ok: true; from: Phase; to: Phase; skipped: Phase[]; unchanged: boolean }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'invalid_phase_transition'; from: Phase; to: Phase; message: string };

/**
 * Moves a conversation to `requested` by the rules of nextPhase (@sapa/handling), in one transaction with the
 * conversation row locked: each skipped phase is a record row with the reason, the entered phase a row with its
 * actor and time, and conversations.phase follows. A refused move changes nothing; the same phase again records
 * nothing (a retried request succeeds).
 */
export function movePhase(
  db: Kysely<DB>,
  tenantId: string,
  conversationId: string,
  move: { requested: Phase; skipReason: string | null; actorId: string },
): Promise<PhaseMove> {
  return db.transaction().execute(async (trx): Promise<PhaseMove> => {
    const conv = await lockConversation(trx, tenantId, conversationId);
    if (!conv) return { ok: false, reason: 'not_found' };
    const from = conv.phase as Phase;
    const to = move.requested;
    const verdict = nextPhase(from, to, move.skipReason);
    if (!verdict.ok) return { ok: false, reason: verdict.code, from, to, message: verdict.reason };
    if (verdict.unchanged) return { ok: true, from, to, skipped: [], unchanged: true };
    const reason = move.skipReason?.trim() ?? null;
    const steps: PhaseStep[] = [
      ...verdict.skipped.map((phase) => ({ phase, skipped: true, skipReason: reason, actorId: move.actorId })),
      { phase: to, skipped: false, skipReason: null, actorId: move.actorId },
    ];
    await recordPhaseSteps(trx, tenantId, conversationId, steps);
    await setConversationPhase(trx, tenantId, conversationId, to);
    return { ok: true, from, to, skipped: verdict.skipped, unchanged: false };
  });
}
