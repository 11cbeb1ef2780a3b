import type { Kysely } from 'kysely';
import type { DB } from '@sapa/db';
import { listHolidays } from '@sapa/db/queries/holidays';
import { getTenantSettings } from '@sapa/db/queries/tenant-settings';
import type { HandlingSettings, Holiday } from '@sapa/handling';
import { createTtlCache } from '@sapa/service-kit';

/** What the clock reads of a tenant: its handling settings (durations, texts, time zone) and holiday calendar. */
export interface TenantCalendar {
  settings: HandlingSettings;
  holidays: Holiday[];
}

export interface TenantCalendars {
  get(tenantId: string): Promise<TenantCalendar>;
}

/**
 * Tenant settings and holidays, kept per process for `ttlMs`: timers come due by the hundred a second and would
 * otherwise read the same rows for each. A change made through the API reaches the clock within `ttlMs`.
 */
export function tenantCalendars(db: Kysely<DB>, ttlMs = 5000): TenantCalendars {
  return createTtlCache(
    (tenantId) => Promise.all([getTenantSettings(db, tenantId), listHolidays(db, tenantId)]).then(([settings, holidays]) => ({ settings, holidays })),
    ttlMs,
  );
}
