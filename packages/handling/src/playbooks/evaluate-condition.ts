import type { Condition } from './condition-schema.js';

const MINUTE_MS = 60_000;

/** Whether a ticket field holds a value: not absent, null, blank text or an empty list. */
export function isFilled(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/**
 * Whether one condition holds on the ticket's fields at `now`. A comparison with a field that is not filled in does
 * not hold (except `absent` and `ne`), so a gate written as "unless the agent recorded `false`" stays closed until
 * the agent answers.
 */
export function conditionHolds(c: Condition, fields: Readonly<Record<string, unknown>>, now: Date): boolean {
  const actual = fields[c.field];
  const filled = isFilled(actual);
  switch (c.op) {
    case 'present':
      return filled;
    case 'absent':
      return !filled;
    case 'eq':
      return filled && actual === c.value;
    case 'ne':
      return !filled || actual !== c.value;
    case 'in':
      return filled && Array.isArray(c.value) && (c.value as unknown[]).includes(actual);
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return typeof actual === 'number' && typeof c.value === 'number' && compare(c.op, actual, c.value);
    case 'older_than_minutes':
    case 'within_minutes': {
      const at = toTime(actual);
      if (at === null || typeof c.value !== 'number') return false;
      const age = now.getTime() - at;
      return c.op === 'older_than_minutes' ? age > c.value * MINUTE_MS : age >= 0 && age < c.value * MINUTE_MS;
    }
  }
}

/** Whether every condition holds; an absent list holds. */
export function conditionsHold(conditions: readonly Condition[] | undefined, fields: Readonly<Record<string, unknown>>, now: Date): boolean {
  return (conditions ?? []).every((c) => conditionHolds(c, fields, now));
}

function compare(op: 'lt' | 'lte' | 'gt' | 'gte', a: number, b: number): boolean {
  return op === 'lt' ? a < b : op === 'lte' ? a <= b : op === 'gt' ? a > b : a >= b;
}

function toTime(value: unknown): number | null {
  const t = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(t) ? null : t;
}
