import type { BusinessHours } from '@sapa/contracts';
import { DEFAULT_BUSINESS_HOURS, type BusinessCalendar } from '@sapa/handling';
import type { Team, TeamAllocator } from '../schema.js';
import type { Db } from './db-handle.js';
import { listHolidays } from './holidays.js';
import { getTenantSettings } from './tenant-settings.js';

/** A team of the tenant, or undefined (also when the id belongs to another tenant). */
export function findTeam(db: Db, tenantId: string, teamId: string): Promise<Team | undefined> {
  return db.selectFrom('teams').selectAll().where('tenant_id', '=', tenantId).where('id', '=', teamId).executeTakeFirst();
}

export function listTeams(db: Db, tenantId: string): Promise<Team[]> {
  return db.selectFrom('teams').selectAll().where('tenant_id', '=', tenantId).orderBy('key').execute();
}

/** The teams each of these users belongs to, as {userId, team}. */
export function teamsOfUsers(db: Db, tenantId: string, userIds: string[]) {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('team_members as m')
    .innerJoin('teams as t', 't.id', 'm.team_id')
    .select(['m.user_id', 'm.is_leader', 't.id', 't.key', 't.name'])
    .where('m.tenant_id', '=', tenantId)
    .where('m.user_id', 'in', userIds)
    .orderBy('t.key')
    .execute();
}

export interface TeamChange {
  name?: string;
  /** Weekly opening hours, already validated (validateBusinessHours of @sapa/handling). */
  businessHours?: Record<string, Array<{ from: string; to: string }>>;
  /** The external allocator (its secret already sealed), or null to remove it. */
  allocator?: TeamAllocator | null;
  strategy?: Team['strategy'];
}

/** Renames a team and/or sets its business hours; undefined when the team is not the tenant's. */
export function updateTeam(db: Db, tenantId: string, teamId: string, change: TeamChange): Promise<Team | undefined> {
  return db
    .updateTable('teams')
    .set({
      ...(change.name !== undefined ? { name: change.name } : {}),
      ...(change.businessHours !== undefined ? { business_hours: JSON.stringify(change.businessHours) } : {}),
      ...(change.allocator !== undefined ? { allocator: change.allocator === null ? null : JSON.stringify(change.allocator) } : {}),
      ...(change.strategy !== undefined ? { strategy: change.strategy } : {}),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', teamId)
    .returningAll()
    .executeTakeFirst();
}

/**
 * The business calendar of a team: the tenant's time zone and holidays with the team's weekly hours. The team is
 * named by id or by key; one that is not found (or none named) reads as the tenant's default team.
 */
export async function businessCalendarOf(db: Db, tenantId: string, team: { id?: string | null; key?: string | null }): Promise<BusinessCalendar> {
  const { timeZone } = await getTenantSettings(db, tenantId);
  const holidays = await listHolidays(db, tenantId);
  const teams = await listTeams(db, tenantId);
  const found = teams.find((t) => (team.id != null && t.id === team.id) || (team.key != null && t.key === team.key)) ?? teams.find((t) => t.is_default);
  return { timeZone, holidays, hours: (found?.business_hours as BusinessHours | undefined) ?? DEFAULT_BUSINESS_HOURS };
}
