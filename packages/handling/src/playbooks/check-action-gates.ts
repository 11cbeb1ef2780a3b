import { evaluateGate, type GateInput, type GateMissing } from './check-gate.js';
import type { Gate } from './gate-schema.js';
import type { Playbook } from './playbook-schema.js';

/** The first gate that blocks (its `gate` and `missing` make the `409 gate_not_met` details), and every one that does. */
export type ActionGatesResult =
  | { ok: true; waived: Array<{ gate: string; waived: GateMissing[] }> }
  | { ok: false; gate: string; missing: GateMissing[]; failures: Array<{ gate: string; missing: GateMissing[] }> };

/** Gates that block dispatching this playbook's ticket to `targetTeam` (its `toTeams` / `exceptTeams`). */
export function dispatchGates(playbook: Playbook, targetTeam: string): Gate[] {
  return playbook.gates.filter(({ appliesTo: a }) => {
    if (!a.actions.includes('dispatch')) return false;
    if (a.toTeams) return a.toTeams.includes(targetTeam);
    return !a.exceptTeams?.includes(targetTeam);
  });
}

/** Gates that block resolving this playbook's ticket with `outcomeKey` (or with any outcome, when null). */
export function resolveGates(playbook: Playbook, outcomeKey: string | null): Gate[] {
  return playbook.gates.filter(({ appliesTo: a }) => {
    if (!a.actions.includes('resolve')) return false;
    return !a.outcomes || (outcomeKey !== null && a.outcomes.includes(outcomeKey));
  });
}

/**
 * May the ticket be dispatched to `targetTeam`? (api-contract.md `POST /v1/tickets/{id}/dispatch`.) Checks every
 * dispatch gate in playbook order; the withdrawal's refuses until 3 of 5 items are checked and the holder name equals
 * the registered name (the name part waivable by a team leader's exception).
 */
export function checkDispatchGates(playbook: Playbook, state: GateInput, targetTeam: string): ActionGatesResult {
  return combine(playbook, dispatchGates(playbook, targetTeam), state);
}

/** May the ticket be resolved with `outcomeKey`? (bon granted with an outstanding bon needs the supervisor.) */
export function checkResolveGates(playbook: Playbook, state: GateInput, outcomeKey: string | null): ActionGatesResult {
  return combine(playbook, resolveGates(playbook, outcomeKey), state);
}

function combine(playbook: Playbook, gates: readonly Gate[], state: GateInput): ActionGatesResult {
  const failures: Array<{ gate: string; missing: GateMissing[] }> = [];
  const waived: Array<{ gate: string; waived: GateMissing[] }> = [];
  for (const gate of gates) {
    const result = evaluateGate(playbook, gate, state);
    if (!result.ok) failures.push({ gate: result.gate, missing: result.missing });
    else if (result.waived.length > 0) waived.push({ gate: gate.key, waived: result.waived });
  }
  const [first] = failures;
  return first ? { ok: false, gate: first.gate, missing: first.missing, failures } : { ok: true, waived };
}
