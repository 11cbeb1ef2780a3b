import { isFilled } from './evaluate-condition.js';
import type { Playbook } from './playbook-schema.js';

/** The `required` fields of a playbook that the ticket has not filled in yet, in playbook order. */
export function missingRequiredFields(playbook: Playbook, fields: Readonly<Record<string, unknown>>): string[] {
  return playbook.fields.filter((f) => f.required && !isFilled(fields[f.key])).map((f) => f.key);
}
