import type { Condition } from './condition-schema.js';
import type { Gate } from './gate-schema.js';
import type { Playbook, PlaybookField } from './playbook-schema.js';
import type { PathError } from './schema-errors.js';

// What a schema cannot say: references between parts of a playbook (a gate naming a field, a dispatch naming a team)
// and numbers that must agree (k ≤ n). Run on a document the schema has accepted.

const COMPARISON_OPS = new Set(['lt', 'lte', 'gt', 'gte']);
const TIME_OPS = new Set(['older_than_minutes', 'within_minutes']);
const NUMERIC_TYPES = new Set(['number', 'money']);
const TIME_TYPES = new Set(['date', 'datetime']);

/** Every cross-reference problem of a schema-valid list of playbooks, at `items[i]…` paths. */
export function crossCheckPlaybooks(items: readonly Playbook[], teamKeys: readonly string[]): PathError[] {
  const errors: PathError[] = [];
  const playbookKeys = new Map<string, number>();
  items.forEach((p, i) => {
    const at = `items[${i}]`;
    const first = playbookKeys.get(p.key);
    if (first !== undefined) errors.push({ path: `${at}.key`, message: `duplicates items[${first}].key "${p.key}"; keys are unique` });
    else playbookKeys.set(p.key, i);
  });
  items.forEach((p, i) => errors.push(...checkPlaybook(p, `items[${i}]`, { teamKeys: new Set(teamKeys), playbookKeys })));
  return errors;
}

interface Known {
  teamKeys: ReadonlySet<string>;
  playbookKeys: ReadonlyMap<string, number>;
}

type Push = (path: string, message: string) => void;

/** What the checks of one playbook share: where to report, and the fields and teams names may refer to. */
interface Scope {
  push: Push;
  team: (path: string, key: string | undefined) => void;
  fields: ReadonlyMap<string, PlaybookField>;
  known: Known;
}

function checkPlaybook(p: Playbook, at: string, known: Known): PathError[] {
  const errors: PathError[] = [];
  const push: Push = (path, message) => errors.push({ path: `${at}.${path}`, message });
  const team = (path: string, key: string | undefined) => {
    if (key !== undefined && !known.teamKeys.has(key)) push(path, `names team "${key}", which is not one of ${[...known.teamKeys].join(', ')}`);
  };
  const scope: Scope = { push, team, fields: new Map(p.fields.map((f) => [f.key, f])), known };
  if (!p.key.startsWith(`${p.group}.`)) push('key', `must start with its group: "${p.group}."`);
  unique(p.fields.map((f) => f.key), 'fields', push);
  unique(p.outcomes.map((o) => o.key), 'outcomes', push);
  unique(p.gates.map((g) => g.key), 'gates', push);
  team('dispatchTo', p.dispatchTo);
  checkFields(p, scope);
  checkVerification(p, scope);
  checkOutcomesAndSteps(p, scope);
  checkSla(p, scope);
  p.gates.forEach((g, j) => checkGate(p, g, `gates[${j}]`, scope));
  return errors;
}

function checkFields(p: Playbook, { push }: Scope): void {
  p.fields.forEach((f, j) => {
    if (f.type === 'enum' && !f.values) push(`fields[${j}].values`, 'an enum field lists its values');
    if (f.type !== 'enum' && f.values) push(`fields[${j}].values`, `only an enum field has values (this one is ${f.type})`);
    if (f.values) unique(f.values.map((v) => v.value), `fields[${j}].values`, push, 'value');
  });
}

function checkVerification(p: Playbook, { push }: Scope): void {
  const v = p.verification;
  if (!v) return;
  unique(v.items.map((item) => item.key), 'verification.items', push);
  if ('kOf' in v.rule && v.rule.kOf > v.items.length) {
    push('verification.rule.kOf', `asks for ${v.rule.kOf} of ${v.items.length} items; k must be at most the number of items`);
  }
  if (v.strict && !('all' in v.rule)) push('verification.rule', 'a strict verification checks every item: use {"all": true}');
}

function checkOutcomesAndSteps(p: Playbook, { push, team, fields, known }: Scope): void {
  p.outcomes.forEach((o, j) => {
    team(`outcomes[${j}].dispatchTo`, o.dispatchTo);
    due(o.due, `outcomes[${j}].due`, push);
    o.when?.forEach((c, k) => condition(c, fields, `outcomes[${j}].when[${k}]`, push));
    if (o.nextPlaybook !== undefined && !known.playbookKeys.has(o.nextPlaybook)) {
      push(`outcomes[${j}].nextPlaybook`, `names playbook "${o.nextPlaybook}", which is not in this file`);
    }
  });
  p.steps.forEach((s, j) => {
    if (s.withinSeconds !== undefined && s.waitMinutes !== undefined) push(`steps[${j}]`, 'has a time standard or a wait, not both');
  });
}

function checkSla(p: Playbook, { push, team, fields }: Scope): void {
  if (!p.sla) return;
  unique(p.sla.ladders.map((l) => l.key), 'sla.ladders', push);
  due(p.sla.due, 'sla.due', push);
  const start = p.sla.startsAt;
  if (typeof start === 'object') {
    const f = fields.get(start.field);
    if (!f || !TIME_TYPES.has(f.type)) push('sla.startsAt.field', `names "${start.field}", which is not a date or datetime field of this playbook`);
  }
  p.sla.ladders.forEach((l, j) => {
    l.when?.forEach((c, k) => condition(c, fields, `sla.ladders[${j}].when[${k}]`, push));
    l.steps.forEach((s, k) => {
      const path = `sla.ladders[${j}].steps[${k}]`;
      team(`${path}.toTeam`, s.toTeam);
      if (s.action === 'escalate' && s.toTeam === undefined) push(`${path}.toTeam`, 'an escalate step names the team it hands over to');
      const previous = l.steps[k - 1];
      if (previous && previous.afterMinutes > s.afterMinutes) push(`${path}.afterMinutes`, `is earlier than steps[${k - 1}]; keep steps in time order`);
    });
  });
}

function checkGate(p: Playbook, g: Gate, at: string, { push, team, fields }: Scope): void {
  g.when?.forEach((c, k) => condition(c, fields, `${at}.when[${k}]`, push));
  g.appliesTo.toTeams?.forEach((t, k) => team(`${at}.appliesTo.toTeams[${k}]`, t));
  g.appliesTo.exceptTeams?.forEach((t, k) => team(`${at}.appliesTo.exceptTeams[${k}]`, t));
  if (g.appliesTo.toTeams && g.appliesTo.exceptTeams) push(`${at}.appliesTo`, 'names toTeams or exceptTeams, not both');
  const hasTeams = g.appliesTo.toTeams ?? g.appliesTo.exceptTeams;
  if (hasTeams && !g.appliesTo.actions.includes('dispatch')) push(`${at}.appliesTo`, 'names teams but does not apply to dispatch');
  if (g.appliesTo.outcomes && !g.appliesTo.actions.includes('resolve')) push(`${at}.appliesTo`, 'names outcomes but does not apply to resolve');
  const outcomeKeys = new Set(p.outcomes.map((o) => o.key));
  g.appliesTo.outcomes?.forEach((o, k) => {
    if (!outcomeKeys.has(o)) push(`${at}.appliesTo.outcomes[${k}]`, `names outcome "${o}", which this playbook does not have`);
  });
  g.checks.forEach((c, k) => {
    const path = `${at}.checks[${k}]`;
    const field = (f: string, where: string) => {
      if (!fields.has(f)) push(where, `names field "${f}", which this playbook does not have`);
    };
    if (c.kind === 'verification') {
      if (!p.verification) push(path, 'checks verification, but this playbook has no verification items');
      else if (p.verification.strict && c.waivableBy?.length) push(`${path}.waivableBy`, 'a strict verification cannot be waived');
    }
    if (c.kind === 'attribute_match') field(c.field, `${path}.field`);
    if (c.kind === 'fields_present') c.fields.forEach((f, m) => field(f, `${path}.fields[${m}]`));
    if (c.kind === 'condition') c.require.forEach((cond, m) => condition(cond, fields, `${path}.require[${m}]`, push));
    if (c.kind === 'approval') {
      if (!c.approverTeams?.length && !c.approverRoles?.length) push(path, 'an approval names approverTeams or approverRoles');
      c.approverTeams?.forEach((t, m) => team(`${path}.approverTeams[${m}]`, t));
    }
  });
}

function condition(c: Condition, fields: ReadonlyMap<string, PlaybookField>, at: string, push: Push): void {
  const f = fields.get(c.field);
  if (!f) return push(`${at}.field`, `names field "${c.field}", which this playbook does not have`);
  const v = c.value;
  if (c.op === 'present' || c.op === 'absent') {
    if (v !== undefined) push(`${at}.value`, `"${c.op}" takes no value`);
  } else if (v === undefined) push(`${at}.value`, `"${c.op}" needs a value`);
  else if (c.op === 'in' && !Array.isArray(v)) push(`${at}.value`, '"in" needs a list');
  else if (c.op !== 'in' && Array.isArray(v)) push(`${at}.value`, `"${c.op}" needs a single value`);
  else if (COMPARISON_OPS.has(c.op) && (typeof v !== 'number' || !NUMERIC_TYPES.has(f.type))) push(at, `"${c.op}" compares a number or money field with a number`);
  else if (TIME_OPS.has(c.op) && (typeof v !== 'number' || !TIME_TYPES.has(f.type))) push(at, `"${c.op}" compares a date or datetime field with minutes`);
  else if (f.type === 'enum' && f.values) {
    const allowed = new Set<unknown>(f.values.map((x) => x.value));
    const given = Array.isArray(v) ? v : [v];
    given.filter((x) => !allowed.has(x)).forEach((x) => push(`${at}.value`, `${JSON.stringify(x)} is not a value of field "${c.field}"`));
  } else if (f.type === 'boolean' && (c.op === 'eq' || c.op === 'ne') && typeof v !== 'boolean') push(`${at}.value`, `field "${c.field}" is a boolean`);
}

function due(d: { minMinutes?: number; maxMinutes: number } | undefined, at: string, push: Push): void {
  if (d?.minMinutes !== undefined && d.minMinutes > d.maxMinutes) push(`${at}.minMinutes`, 'is more than maxMinutes');
}

function unique(keys: readonly string[], at: string, push: Push, prop = 'key'): void {
  const seen = new Map<string, number>();
  keys.forEach((k, i) => {
    const first = seen.get(k);
    if (first !== undefined) push(`${at}[${i}].${prop}`, `duplicates ${at}[${first}].${prop} "${k}"`);
    else seen.set(k, i);
  });
}
