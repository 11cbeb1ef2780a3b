import { HandlingError } from './handling-error.js';

/** The placeholders a tenant template may use. */
export const TEMPLATE_VARIABLES = ['brand', 'agentName', 'closingPhrase', 'timeOfDay', 'position', 'waitMinutes'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
export type TemplateVars = Partial<Record<TemplateVariable, string>>;

/** The texts of a conversation with its agent (greeting, closing, nudge). */
export const CONVERSATION_VARIABLES = ['brand', 'agentName', 'closingPhrase', 'timeOfDay'] as const satisfies readonly TemplateVariable[];

/**
 * Which placeholders each template may use: the waiting customer's texts are sent before any agent is there, so
 * they know no agent name; only the queue text knows the place and the wait.
 */
export const TEMPLATE_PLACEHOLDERS = {
  greeting: CONVERSATION_VARIABLES,
  closing: CONVERSATION_VARIABLES,
  nudge: CONVERSATION_VARIABLES,
  outOfHours: ['brand', 'timeOfDay'],
  queuePosition: ['brand', 'timeOfDay', 'position', 'waitMinutes'],
} as const satisfies Record<string, readonly TemplateVariable[]>;

/** The email signature (settings `email.signature`) knows who writes and for whom, nothing of the moment. */
export const SIGNATURE_PLACEHOLDERS = ['brand', 'agentName'] as const satisfies readonly TemplateVariable[];

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]*)\}/g;

/** Names inside `{…}` in a template that are not among `allowed`; settings validation refuses them. */
export function unknownPlaceholders(template: string, allowed: readonly string[] = CONVERSATION_VARIABLES): string[] {
  const known = new Set<string>(allowed);
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((name) => !known.has(name));
}

/**
 * Fills `{brand}`, `{agentName}`, `{closingPhrase}`, `{timeOfDay}` (customer-handling.md §phases 1 and 7) and, for
 * the waiting customer, `{position}` and `{waitMinutes}`.
 * Text in braces that is not a known variable is left as written. A known variable the template uses but `vars`
 * lacks throws `template_variable_missing`, so a half-filled text never reaches a customer.
 */
export function renderTemplate(template: string, vars: TemplateVars): string {
  const known = new Set<string>(TEMPLATE_VARIABLES);
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    if (!known.has(name)) return whole;
    const value = vars[name as TemplateVariable];
    if (value === undefined) {
      throw new HandlingError('template_variable_missing', `Template uses {${name}} but no value was given for it.`, { name });
    }
    return value;
  });
}
