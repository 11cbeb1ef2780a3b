import { isValidTimeZone } from './local-time.js';
import { SIGNATURE_PLACEHOLDERS, TEMPLATE_PLACEHOLDERS, unknownPlaceholders } from './render-template.js';
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

/** A template text that uses only the placeholders of its kind (TEMPLATE_PLACEHOLDERS). */
const template =
  (allowed: readonly string[]): Check =>
  (v) => {
    if (typeof v !== 'string' || v.trim().length === 0 || v.length > MAX_TEMPLATE_LENGTH) {
      return `must be a non-empty text of at most ${MAX_TEMPLATE_LENGTH} characters`;
    }
    const unknown = unknownPlaceholders(v, allowed);
    return unknown.length ? `uses unknown placeholder(s) ${unknown.map((n) => `{${n}}`).join(', ')}; known here: ${allowed.map((n) => `{${n}}`).join(', ')}` : null;
  };

/** Every key a patch may carry, as a tree: a function validates a leaf, an object is a group of keys. */
const SHAPE: Record<string, Check | Record<string, Check>> = {
  timeZone: (v) => (typeof v === 'string' && isValidTimeZone(v) ? null : 'must be an IANA time zone such as "Asia/Jakarta"'),
  brand: (v) =>
    typeof v === 'string' && v.trim().length > 0 && v.length <= MAX_BRAND_LENGTH ? null : `must be a non-empty text of at most ${MAX_BRAND_LENGTH} characters`,
  locale: (v) => ((LOCALES as readonly unknown[]).includes(v) ? null : `must be one of ${LOCALES.join(', ')}`),
  templates: Object.fromEntries(Object.entries(TEMPLATE_PLACEHOLDERS).map(([key, allowed]) => [key, template(allowed)])),
  inactivity: { firstNudgeSeconds: duration, secondNudgeSeconds: duration, closeSeconds: duration, liveChatLeaveCloseSeconds: duration },
  routing: {
    firstResponseSeconds: duration,
    responseChain: (v) => responseChainProblem(v),
    stickyHours: (v) => (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 720 ? null : 'must be a whole number of hours from 0 (off) to 720'),
    voiceBlocksChat: (v) => (typeof v === 'boolean' ? null : 'must be true or false'),
    awayAfterIdleSeconds: duration,
    announceQueuePosition: (v) => (typeof v === 'boolean' ? null : 'must be true or false'),
  },
  whatsapp: { nudgeTemplate: (v) => whatsappTemplateProblem(v), closingTemplate: (v) => whatsappTemplateProblem(v) },
  email: { signature: template(SIGNATURE_PLACEHOLDERS) },
};

const WHATSAPP_TEMPLATE_NAME = /^[a-z0-9_]{1,512}$/;
const WHATSAPP_LANGUAGE = /^[a-z]{2,3}(_[A-Z]{2})?$/;

/** A WhatsApp template choice `{name, language}` as Meta names approved templates, or `null` to remove it. */
function whatsappTemplateProblem(v: unknown): string | null {
  if (v === null) return null;
  if (!isPlainObject(v)) return 'must be {name, language} of an approved template, or null to remove it';
  const extra = Object.keys(v).filter((k) => k !== 'name' && k !== 'language');
  if (extra.length > 0) return `${extra.join(', ')} is not a field of a template choice; give only name and language`;
  if (typeof v.name !== 'string' || !WHATSAPP_TEMPLATE_NAME.test(v.name)) return 'name must be the template name as approved: lowercase letters, digits and _';
  if (typeof v.language !== 'string' || !WHATSAPP_LANGUAGE.test(v.language)) return 'language must be a code such as "id" or "en_US"';
  return null;
}

const CHAIN_ACTIONS = ['reassign', 'requeue', 'alert_leader', 'escalate'];
const TEAM_KEY = /^[a-z][a-z0-9_]*$/;

/** The first-response chain: up to 10 steps, each a known action with its own fields. */
function responseChainProblem(v: unknown): string | null {
  if (!Array.isArray(v) || v.length > 10) return 'must be a list of at most 10 steps';
  for (const [i, step] of v.entries()) {
    const at = `step ${i}`;
    if (!isPlainObject(step) || !CHAIN_ACTIONS.includes(step.action as string)) return `${at}: action must be one of ${CHAIN_ACTIONS.join(', ')}`;
    const allowed = ['action', 'afterSeconds', ...(step.action === 'requeue' ? ['raisePriority'] : step.action === 'escalate' ? ['team'] : [])];
    const extra = Object.keys(step).filter((k) => !allowed.includes(k));
    if (extra.length > 0) return `${at}: ${extra.join(', ')} is not a field of ${String(step.action)}`;
    if (step.afterSeconds !== undefined && duration(step.afterSeconds, '')) return `${at}: afterSeconds ${duration(step.afterSeconds, '')}`;
    if (step.action === 'requeue' && !(Number.isInteger(step.raisePriority) && (step.raisePriority as number) >= 0 && (step.raisePriority as number) <= 100)) {
      return `${at}: raisePriority must be a whole number from 0 to 100`;
    }
    if (step.action === 'escalate' && !(typeof step.team === 'string' && TEAM_KEY.test(step.team))) return `${at}: team must be a team key such as "tier2"`;
  }
  return null;
}

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
