import { PHASES, type Phase } from '@sapa/contracts';

export { PHASES, type Phase };

/** The one backward step the SOP allows: "Butuh bantuan lain? Ya" returns to identifying the next need. */
const BACKWARD_ALLOWED: ReadonlyArray<readonly [Phase, Phase]> = [['other_help', 'identify_need']];

export type PhaseTransition =
  | { ok: true; skipped: Phase[]; unchanged: boolean }
  | { ok: false; code: 'invalid_phase_transition'; reason: string };

const refuse = (reason: string): PhaseTransition => ({ ok: false, code: 'invalid_phase_transition', reason });

/**
 * Whether a conversation in `current` may move to `requested` (customer-handling.md §phases, api-contract.md §Handling
 * flow). Forward by one: always. Forward past phases: only with a non-empty `skipReason`, and the skipped phases are
 * reported so the caller stores them with the reason (QC reads them). Backward: only other_help → identify_need.
 * The same phase again is an idempotent no-op (`unchanged: true`, nothing to store) so a retried request does not fail;
 * `documented` is final, so nothing moves after it.
 */
export function nextPhase(current: Phase, requested: Phase, skipReason?: string | null): PhaseTransition {
  const from = PHASES.indexOf(current);
  const to = PHASES.indexOf(requested);
  if (from < 0) return refuse(`unknown current phase "${String(current)}"`);
  if (to < 0) return refuse(`unknown phase "${String(requested)}"; expected one of ${PHASES.join(', ')}`);
  if (to === from) return { ok: true, skipped: [], unchanged: true };
  if (current === 'documented') return refuse('the conversation is documented; no phase follows');
  if (to < from) {
    if (BACKWARD_ALLOWED.some(([a, b]) => a === current && b === requested)) return { ok: true, skipped: [], unchanged: false };
    return refuse(`cannot go back from ${current} to ${requested}; only other_help → identify_need goes back`);
  }
  const skipped = PHASES.slice(from + 1, to) as Phase[];
  if (skipped.length > 0 && !skipReason?.trim()) {
    return refuse(`moving from ${current} to ${requested} skips ${skipped.join(', ')}; give a skipReason`);
  }
  return { ok: true, skipped, unchanged: false };
}
