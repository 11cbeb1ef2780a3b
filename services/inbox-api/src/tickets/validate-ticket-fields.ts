import type { Playbook, PlaybookField } from '@sapa/handling';
import { ValidationFailed } from '../errors.js';

export interface FieldError {
  path: string;
  field: string;
  message: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DIGITS = /^[0-9]{4,34}$/;
const PHONE = /^\+?[0-9]{6,15}$/;

/**
 * Checks field values against the playbook's field definitions (api-contract.md: fields invalid for the playbook →
 * 400). Every bad field is listed, so the agent fixes them at once; `null` clears a field and is always fine.
 */
export function validateTicketFields(playbook: Playbook, fields: Readonly<Record<string, unknown>>): FieldError[] {
  const byKey = new Map(playbook.fields.map((f) => [f.key, f]));
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(fields)) {
    const definition = byKey.get(key);
    const problem = definition ? (value === null ? null : valueProblem(definition, value)) : `is not a field of playbook ${playbook.key}`;
    if (problem) errors.push({ path: `fields.${key}`, field: key, message: problem });
  }
  return errors;
}

function valueProblem(f: PlaybookField, value: unknown): string | null {
  switch (f.type) {
    case 'text':
    case 'agent_id':
    case 'attachment':
      return text(value, 500);
    case 'long_text':
      return text(value, 4000);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'must be a number';
    case 'money':
      return Number.isSafeInteger(value) && (value as number) >= 0 ? null : 'must be a whole amount of rupiah, 0 or more';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'date':
      return typeof value === 'string' && DATE.test(value) && isRealDate(value) ? null : 'must be a date YYYY-MM-DD';
    case 'datetime':
      return typeof value === 'string' && value.includes('T') && !Number.isNaN(Date.parse(value)) ? null : 'must be an ISO 8601 date-time';
    case 'phone':
      return typeof value === 'string' && PHONE.test(value.replace(/[\s-]/g, '')) ? null : 'must be a phone number';
    case 'bank_account':
      // Banks print account numbers with spaces or dashes; only the digits count.
      return typeof value === 'string' && DIGITS.test(value.replace(/[\s-]/g, '')) ? null : 'must be a bank account number (digits)';
    case 'enum': {
      const allowed = (f.values ?? []).map((v) => v.value);
      return typeof value === 'string' && allowed.includes(value) ? null : `must be one of: ${allowed.join(', ')}`;
    }
  }
}

function text(value: unknown, max: number): string | null {
  if (typeof value !== 'string' || value.trim() === '') return 'must be non-empty text';
  return value.length > max ? `must be at most ${max} characters` : null;
}

function isRealDate(value: string): boolean {
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

/** The stored fields after a change: given values replace, `null` removes. */
export function mergeFields(current: Readonly<Record<string, unknown>>, change: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(change)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}

/** 400 `validation_failed` listing every bad field, or nothing. */
export function refuseBadFields(errors: FieldError[]): void {
  if (errors.length > 0) throw ValidationFailed(`invalid fields: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, { errors });
}
