import { isValidTimeZone } from './local-time.js';
import { unknownPlaceholders } from './render-template.js';
import { LOCALES, type HandlingSettingsPatch } from './settings.js';

/** One bad field of a patch: its dotted path (e.g. `inactivity.closeSeconds`) and how to fix it. */
export interface SettingsError {
  path: string;
  message: string;
}

export type SettingsPatchResult = { ok: true; patch: HandlingSettingsPatch } | { ok: false; errors: SettingsError[] };

/** api-contract.md §Tenant settings: every duration is whole seconds within 1..86400. */
export const MIN_DURATION_SECONDS = 1;
export const MAX_DURATION_SECONDS = 86_400;
const MAX_TEMPLATE_LENGTH = 2000;
const MAX_BRAND_LENGTH = 200;

type Check = (value: unknown, path: string) => string | null;

const duration: Check = (v) =>
  Number.isInteger(v) && (v as number) >= MIN_DURATION_SECONDS && (v as number) <= MAX_DURATION_SECONDS
    ? null
    : `must be a whole number of seconds from ${MIN_DURATION_SECONDS} to ${MAX_DURATION_SECONDS}`;

const template: Check = (v) => {
  if (typeof v !== 'string' || v.trim().length === 0 || v.length > MAX_TEMPLATE_LENGTH) {
    return `must be a non-empty text of at most ${MAX_TEMPLATE_LENGTH} characters`;
  }
  const unknown = unknownPlaceholders(v);
  return unknown.length ? `uses unknown placeholder(s) ${unknown.map((n) => `{${n}}`).join(', ')}; known: {brand}, {agentName}, {closingPhrase}, {timeOfDay}` : null;
};

/** Every key a patch may carry, as a tree: a function validates a leaf, an object is a group of keys. */
const SHAPE: Record<string, Check | Record<string, Check>> = {
  timeZone: (v) => (typeof v === 'string' && isValidTimeZone(v) ? null : 'must be an IANA time zone such as "Asia/Jakarta"'),
  brand: (v) =>
    typeof v === 'string' && v.trim().length > 0 && v.length <= MAX_BRAND_LENGTH ? null : `must be a non-empty text of at most ${MAX_BRAND_LENGTH} characters`,
  locale: (v) => ((LOCALES as readonly unknown[]).includes(v) ? null : `must be one of ${LOCALES.join(', ')}`),
  templates: { greeting: template, closing: template, nudge: template },
  inactivity: { firstNudgeSeconds: duration, secondNudgeSeconds: duration, closeSeconds: duration, liveChatLeaveCloseSeconds: duration },
  routing: { firstResponseSeconds: duration },
};

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkGroup(value: unknown, shape: Record<string, Check | Record<string, Check>>, prefix: string, errors: SettingsError[]): void {
  if (!isPlainObject(value)) {
    errors.push({ path: prefix || '(body)', message: 'must be an object' });
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const rule = shape[key];
    if (rule === undefined) errors.push({ path, message: 'is not a setting' });
    else if (typeof rule === 'function') {
      const problem = rule(v, path);
      if (problem) errors.push({ path, message: problem });
    } else checkGroup(v, rule, path, errors);
  }
}

/**
 * Validates a `PATCH /v1/tenant/settings` body (api-contract.md §Tenant settings): an unknown key, an unknown time
 * zone, a duration outside 1..86400 or a template with an unknown placeholder is an error; all errors are listed.
 */
export function validateSettingsPatch(body: unknown): SettingsPatchResult {
  const errors: SettingsError[] = [];
  checkGroup(body, SHAPE, '', errors);
  return errors.length ? { ok: false, errors } : { ok: true, patch: body as HandlingSettingsPatch };
}
