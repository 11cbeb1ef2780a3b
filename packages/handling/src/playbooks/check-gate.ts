import type { Role } from '@sapa/contracts';
import { conditionsHold, conditionHolds, isFilled } from './evaluate-condition.js';
import type { ContactAttribute, Gate, GateCheck } from './gate-schema.js';
import { textsMatch } from './match-text.js';
import { PlaybookError } from './playbook-error.js';
import type { Playbook } from './playbook-schema.js';

/** A record on the ticket for one gate: a team leader's exception (`POST /v1/tickets/{id}/exceptions`) or an approval. */
export interface GateRecord {
  gate: string;
  /** The role of who recorded it. */
  role: Role;
  /** The team of who recorded it, for approvals by a team (`supervisor`). */
  teamKey?: string | null;
}

/** What a gate looks at: the ticket's checked verification items and fields, the contact's profile, the records. */
export interface GateInput {
  checkedItems: readonly string[];
  fields: Readonly<Record<string, unknown>>;
  contactAttributes: Readonly<Partial<Record<ContactAttribute, string | null>>>;
  /** Exceptions waive the checks whose `waivableBy` holds the recorder's role; they also count as approvals. */
  exceptions?: readonly GateRecord[];
  approvals?: readonly GateRecord[];
  /** For time conditions ("kurang dari 1x24 jam"); defaults to the current time. */
  now?: Date;
}

/** One thing a gate still misses (the `missing` of `409 gate_not_met`). */
export type GateMissing =
  | { kind: 'verification'; need: number; of: string[] }
  | { kind: 'field'; field: string }
  | { kind: 'any_field'; fields: string[] }
  | { kind: 'contact_attribute'; attribute: ContactAttribute }
  | { kind: 'attribute_match'; field: string; contactAttribute: ContactAttribute }
  | { kind: 'approval'; approverTeams: string[]; approverRoles: Role[] }
  | { kind: 'condition'; field: string; op: string; value?: unknown };

/** `waived` lists what an exception let through, for the ticket's history. */
export type GateResult = { ok: true; waived: GateMissing[] } | { ok: false; gate: string; missing: GateMissing[] };

/**
 * Checks one gate of a playbook (complaint-playbooks.md §gates): fine when its `when` does not hold; otherwise every
 * check must hold or be waived by an exception from a role in its `waivableBy`. Throws `unknown_gate` for a key the
 * playbook does not have.
 */
export function checkGate(playbook: Playbook, gateKey: string, input: GateInput): GateResult {
  const gate = playbook.gates.find((g) => g.key === gateKey);
  if (!gate) throw new PlaybookError('unknown_gate', `Playbook ${playbook.key} has no gate "${gateKey}".`, { gate: gateKey });
  return evaluateGate(playbook, gate, input);
}

/** Whether a gate has a check that an exception can waive (a service refuses other exceptions). */
export function gateIsWaivable(playbook: Playbook, gateKey: string, role: Role): boolean {
  const gate = playbook.gates.find((g) => g.key === gateKey);
  return Boolean(gate?.checks.some((c) => c.waivableBy?.includes(role)));
}

export function evaluateGate(playbook: Playbook, gate: Gate, input: GateInput): GateResult {
  const now = input.now ?? new Date();
  if (!conditionsHold(gate.when, input.fields, now)) return { ok: true, waived: [] };
  const missing: GateMissing[] = [];
  const waived: GateMissing[] = [];
  for (const check of gate.checks) {
    const gaps = checkMisses(playbook, gate.key, check, input, now);
    if (gaps.length === 0) continue;
    const waiver = (input.exceptions ?? []).some((e) => e.gate === gate.key && check.waivableBy?.includes(e.role));
    (waiver ? waived : missing).push(...gaps);
  }
  return missing.length > 0 ? { ok: false, gate: gate.key, missing } : { ok: true, waived };
}

function checkMisses(playbook: Playbook, gateKey: string, check: GateCheck, input: GateInput, now: Date): GateMissing[] {
  switch (check.kind) {
    case 'verification':
      return verificationMisses(playbook, input.checkedItems);
    case 'attribute_match': {
      const value = input.fields[check.field];
      const registered = input.contactAttributes[check.contactAttribute];
      if (!isFilled(value)) return [{ kind: 'field', field: check.field }];
      if (typeof registered !== 'string' || !isFilled(registered)) return [{ kind: 'contact_attribute', attribute: check.contactAttribute }];
      return textsMatch(String(value), registered, check.normalize) ? [] : [{ kind: 'attribute_match', field: check.field, contactAttribute: check.contactAttribute }];
    }
    case 'approval': {
      const teams = check.approverTeams ?? [];
      const roles = check.approverRoles ?? [];
      const records = [...(input.approvals ?? []), ...(input.exceptions ?? [])];
      const approved = records.some((r) => r.gate === gateKey && (roles.includes(r.role) || (r.teamKey != null && teams.includes(r.teamKey))));
      return approved ? [] : [{ kind: 'approval', approverTeams: [...teams], approverRoles: [...roles] }];
    }
    case 'condition':
      return check.require
        .filter((c) => !conditionHolds(c, input.fields, now))
        .map((c) => ({ kind: 'condition' as const, field: c.field, op: c.op, ...(c.value === undefined ? {} : { value: c.value }) }));
    case 'fields_present': {
      const empty = check.fields.filter((f) => !isFilled(input.fields[f]));
      if (check.mode === 'any') return empty.length < check.fields.length ? [] : [{ kind: 'any_field', fields: [...check.fields] }];
      return empty.map((field) => ({ kind: 'field' as const, field }));
    }
  }
}

/**
 * The verification still missing: `{kOf: k}` needs k of the items; `{all: true}` every item not `optional`; a strict
 * verification every item. `of` lists the unchecked items that would count.
 */
export function verificationMisses(playbook: Playbook, checkedItems: readonly string[]): GateMissing[] {
  const v = playbook.verification;
  if (!v) return [];
  const checked = new Set(checkedItems);
  const counting = v.strict || 'kOf' in v.rule ? v.items : v.items.filter((i) => i.level !== 'optional');
  const unchecked = counting.filter((i) => !checked.has(i.key)).map((i) => i.key);
  const need = 'kOf' in v.rule && !v.strict ? Math.max(0, v.rule.kOf - (counting.length - unchecked.length)) : unchecked.length;
  return need > 0 ? [{ kind: 'verification', need, of: unchecked }] : [];
}
