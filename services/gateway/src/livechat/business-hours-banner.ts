import type { Db } from '@sapa/db/queries/db-handle';
import { businessCalendarOf } from '@sapa/db/queries/teams';
import { getTenantSettings } from '@sapa/db/queries/tenant-settings';
import { isWithinBusinessHours, type BusinessCalendar } from '@sapa/handling';
import { createTtlCache } from '@sapa/service-kit';

/** What the widget shows before anyone writes: the tenant's brand, and whether the channel's team is open now. */
export interface ChannelFacts {
  brand: string;
  businessHours: { open: boolean };
}

export type ChannelFactsOf = (channel: { id: string; tenant_id: string; team_id: string | null }, now: Date) => Promise<ChannelFacts>;

/**
 * The business-hours banner: the channel's team's weekly hours (the tenant's default team when the channel has none),
 * the tenant's time zone and holidays, as the router's out-of-hours notice reads them. Calendars are kept `ttlMs`.
 */
export function createChannelFacts(db: Db, ttlMs = 60_000): ChannelFactsOf {
  const calendars = createTtlCache(async (key: string): Promise<{ brand: string; calendar: BusinessCalendar }> => {
    const [tenantId, teamId] = key.split('/') as [string, string];
    const [settings, calendar] = await Promise.all([getTenantSettings(db, tenantId), businessCalendarOf(db, tenantId, { id: teamId || null })]);
    return { brand: settings.brand, calendar };
  }, ttlMs);
  return async (channel, now) => {
    const { brand, calendar } = await calendars.get(`${channel.tenant_id}/${channel.team_id ?? ''}`);
    return { brand, businessHours: { open: isWithinBusinessHours(now, calendar) } };
  };
}
