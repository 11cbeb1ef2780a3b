import {
  DEFAULT_EMAIL_SIGNATURE,
  DEFAULT_HANDLING_SETTINGS,
  DEFAULT_TEMPLATES,
  validateSettingsPatch,
  withoutNulls,
  type HandlingSettings,
  type HandlingSettingsPatch,
  type Locale,
} from '@sapa/handling';
import type { Db } from './db-handle.js';

/**
 * The tenant's handling settings (api-contract.md §Tenant settings). `tenants.settings` holds only what the
 * tenant changed; reading merges it over the defaults, so a default added later reaches every old tenant.
 * Untouched templates follow the locale: an `en` tenant gets the English defaults. A tenant id with no row reads
 * as the defaults.
 */
export async function getTenantSettings(db: Db, tenantId: string): Promise<HandlingSettings> {
  const row = await db.selectFrom('tenants').select('settings').where('id', '=', tenantId).executeTakeFirst();
  return effectiveSettings(storedOverrides(row?.settings));
}

/**
 * Merges a validated patch (validateSettingsPatch of @sapa/handling) into what the tenant changed before and
 * returns the whole settings. The tenant row is locked (FOR NO KEY UPDATE: inserts that reference the tenant
 * are not blocked) so two patches at once both land. Undefined when there is no such tenant.
 */
export function patchTenantSettings(db: Db, tenantId: string, patch: HandlingSettingsPatch): Promise<HandlingSettings | undefined> {
  return inTransaction(db, async (trx) => {
    const row = await trx.selectFrom('tenants').select('settings').where('id', '=', tenantId).forNoKeyUpdate().executeTakeFirst();
    if (!row) return undefined;
    const merged = mergeOverrides(storedOverrides(row.settings), patch);
    // Other keys of tenants.settings (none yet) are kept as they are.
    const settings = { ...(row.settings ?? {}), ...merged };
    await trx.updateTable('tenants').set({ settings: JSON.stringify(settings) }).where('id', '=', tenantId).execute();
    return effectiveSettings(merged);
  });
}

const GROUPS = ['templates', 'inactivity', 'routing', 'whatsapp', 'email'] as const;

function mergeOverrides(current: HandlingSettingsPatch, patch: HandlingSettingsPatch): HandlingSettingsPatch {
  const out: HandlingSettingsPatch = { ...current };
  if (patch.timeZone !== undefined) out.timeZone = patch.timeZone;
  if (patch.brand !== undefined) out.brand = patch.brand;
  if (patch.locale !== undefined) out.locale = patch.locale;
  for (const group of GROUPS) {
    if (patch[group] !== undefined) Object.assign(out, { [group]: { ...current[group], ...patch[group] } });
  }
  return out;
}

function effectiveSettings(o: HandlingSettingsPatch): HandlingSettings {
  const locale: Locale = o.locale ?? DEFAULT_HANDLING_SETTINGS.locale;
  const d = DEFAULT_HANDLING_SETTINGS;
  return {
    timeZone: o.timeZone ?? d.timeZone,
    brand: o.brand ?? d.brand,
    locale,
    templates: { ...DEFAULT_TEMPLATES[locale], ...o.templates },
    inactivity: { ...d.inactivity, ...o.inactivity },
    routing: { ...d.routing, ...o.routing },
    whatsapp: withoutNulls({ ...d.whatsapp, ...o.whatsapp }),
    email: { signature: DEFAULT_EMAIL_SIGNATURE[locale], ...o.email },
  };
}

/**
 * The tenant's own values out of `tenants.settings`: only known keys, and only values that still pass validation
 * (a value written by hand, or a time zone a newer tz database dropped, falls back to its default rather than
 * breaking every conversation of the tenant).
 */
function storedOverrides(stored: Record<string, unknown> | undefined): HandlingSettingsPatch {
  if (!stored || typeof stored !== 'object') return {};
  const known: Record<string, unknown> = {};
  for (const key of ['timeZone', 'brand', 'locale', ...GROUPS]) if (stored[key] !== undefined) known[key] = stored[key];
  for (let attempt = 0; attempt < 20; attempt++) {
    const result = validateSettingsPatch(known);
    if (result.ok) return result.patch;
    for (const { path } of result.errors) dropPath(known, path);
  }
  return {};
}

function dropPath(target: Record<string, unknown>, path: string): void {
  const [head, leaf] = path.split('.');
  if (head === undefined) return;
  const group = target[head];
  if (leaf !== undefined && group && typeof group === 'object' && !Array.isArray(group)) delete (group as Record<string, unknown>)[leaf];
  else delete target[head];
}

/** Runs `fn` in the caller's transaction when there is one, else in a new one. */
function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
