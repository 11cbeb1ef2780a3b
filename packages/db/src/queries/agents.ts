import { sql } from 'kysely';
import { DEFAULT_HANDLING_SETTINGS } from '@sapa/handling';
import type { Agent } from '../schema.js';
import type { Db } from './db-handle.js';

export type CapacityKind = 'chat' | 'email' | 'voice';

/** routing.awayAfterIdleSeconds of DEFAULT_HANDLING_SETTINGS (@sapa/handling), for tenants that did not change it. */
const DEFAULT_AWAY_AFTER_IDLE_SECONDS = DEFAULT_HANDLING_SETTINGS.routing.awayAfterIdleSeconds;

const ACTIVE = { chat: 'active_chat', email: 'active_email', voice: 'active_voice' } as const;
const CAPACITY = { chat: 'capacity_chat', email: 'capacity_email', voice: 'capacity_voice' } as const;

export function findAgent(db: Db, tenantId: string, userId: string): Promise<Agent | undefined> {
  return db.selectFrom('agents').selectAll().where('tenant_id', '=', tenantId).where('user_id', '=', userId).executeTakeFirst();
}

/**
 * Sets an agent's presence; undefined when the user is not an agent of this tenant. Setting it is a sign of life
 * too: an agent tracked by the idle sweep (last_seen_at set) who comes back online is not turned away at once for a
 * socket that closed long ago.
 */
export function setPresence(db: Db, tenantId: string, userId: string, status: Agent['presence']): Promise<Agent | undefined> {
  return db
    .updateTable('agents')
    .set({ presence: status, presence_changed_at: new Date(), last_seen_at: sql`CASE WHEN last_seen_at IS NULL THEN NULL ELSE now() END` })
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Takes one unit of the agent's capacity, only if the agent has room at this instant (and, for routing, is
 * still online; an explicit transfer may go to an agent who is away). The conditional update is the guard
 * that keeps an agent within capacity when routers race.
 */
export async function claimCapacity(
  db: Db,
  tenantId: string,
  agentId: string,
  kind: CapacityKind,
  { requireOnline = true }: { requireOnline?: boolean } = {},
): Promise<boolean> {
  const active = ACTIVE[kind];
  let update = db
    .updateTable('agents')
    .set({ [active]: sql`${sql.ref(active)} + 1`, last_assigned_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', agentId)
    .where(sql.ref(active), '<', sql.ref(CAPACITY[kind]));
  if (requireOnline) update = update.where('presence', '=', 'online');
  const res = await update.executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** Locks agent rows in a fixed (id) order, so transactions touching several agents cannot deadlock. */
export async function lockAgents(db: Db, tenantId: string, agentIds: string[]): Promise<void> {
  await db
    .selectFrom('agents')
    .select('user_id')
    .where('tenant_id', '=', tenantId)
    .where('user_id', 'in', [...new Set(agentIds)].sort())
    .orderBy('user_id')
    .forUpdate()
    .execute();
}

/** Gives back one unit of capacity when a conversation leaves the agent (closed, transferred, taken back). */
export async function releaseCapacity(db: Db, tenantId: string, agentId: string, kind: CapacityKind): Promise<void> {
  const active = ACTIVE[kind];
  await db
    .updateTable('agents')
    .set({ [active]: sql`GREATEST(${sql.ref(active)} - 1, 0)` })
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', agentId)
    .execute();
}

/** The teams an agent belongs to. */
export async function teamIdsOf(db: Db, tenantId: string, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('team_members')
    .select('team_id')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .execute();
  return rows.map((r) => r.team_id);
}

/** A change of an agent's routing profile (PUT /v1/agents/{id}); what is left out stays as it is. */
export interface AgentProfileChange {
  /** Replaces the agent's skills: key → level 1..5. */
  skills?: Record<string, number>;
  /** Replaces the languages the agent serves. */
  languages?: string[];
  /** Merged over the agent's capacity, bucket by bucket. */
  capacity?: Partial<Record<CapacityKind, number>>;
  /** The agent's PBX extension (voice channels); null clears it. Unique per tenant (index agents_extension_idx). */
  extension?: string | null;
}

/** Writes an agent's profile and answers the row; undefined when the user is not an agent of this tenant. */
export function updateAgentProfile(db: Db, tenantId: string, userId: string, change: AgentProfileChange): Promise<Agent | undefined> {
  const capacity = change.capacity ?? {};
  return db
    .updateTable('agents')
    .set({
      ...(change.skills !== undefined ? { skills: JSON.stringify(change.skills) } : {}),
      ...(change.languages !== undefined ? { languages: change.languages } : {}),
      ...(capacity.chat !== undefined ? { capacity_chat: capacity.chat } : {}),
      ...(capacity.email !== undefined ? { capacity_email: capacity.email } : {}),
      ...(capacity.voice !== undefined ? { capacity_voice: capacity.voice } : {}),
      ...(change.extension !== undefined ? { extension: change.extension } : {}),
    })
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .returningAll()
    .executeTakeFirst();
}

/** The agent's team memberships, leaders flagged. */
export function membershipsOf(db: Db, tenantId: string, userId: string): Promise<Array<{ teamId: string; isLeader: boolean }>> {
  return db
    .selectFrom('team_members')
    .select(['team_id as teamId', 'is_leader as isLeader'])
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .orderBy('team_id')
    .execute();
}

/** Those of `teamIds` that are not teams of this tenant (unknown, or another tenant's). */
export async function unknownTeamIds(db: Db, tenantId: string, teamIds: string[]): Promise<string[]> {
  if (teamIds.length === 0) return [];
  const rows = await db.selectFrom('teams').select('id').where('tenant_id', '=', tenantId).where('id', 'in', teamIds).execute();
  const known = new Set(rows.map((r) => r.id));
  return teamIds.filter((id) => !known.has(id));
}

/**
 * Makes the agent a member of exactly these teams (tenant's teams, checked by the caller): memberships left out
 * are removed, kept ones keep their leader flag, new ones are plain memberships.
 */
export async function replaceMemberships(db: Db, tenantId: string, userId: string, teamIds: string[]): Promise<void> {
  let removal = db.deleteFrom('team_members').where('tenant_id', '=', tenantId).where('user_id', '=', userId);
  if (teamIds.length > 0) removal = removal.where('team_id', 'not in', teamIds);
  await removal.execute();
  if (teamIds.length === 0) return;
  await db
    .insertInto('team_members')
    .values(teamIds.map((teamId) => ({ tenant_id: tenantId, team_id: teamId, user_id: userId, is_leader: false })))
    .onConflict((oc) => oc.columns(['team_id', 'user_id']).doNothing())
    .execute();
}

/**
 * A sign of life of the user's inbox socket. Answers whether the user is an agent of the tenant (a user without an
 * agent profile has no presence to keep, so the caller stops asking).
 */
export async function touchLastSeen(db: Db, tenantId: string, userId: string): Promise<boolean> {
  const res = await db
    .updateTable('agents')
    .set({ last_seen_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return res.numUpdatedRows > 0n;
}

/** An agent the idle sweep turned away. */
export interface IdleAgent {
  tenantId: string;
  userId: string;
  name: string;
  teamIds: string[];
}

/**
 * Turns away every online agent, of every tenant, whose inbox socket has been silent longer than the tenant's
 * `routing.awayAfterIdleSeconds` (tenants.settings over the default 300 s). One statement: replicas sweeping at the
 * same time each turn a given agent away at most once, since the row no longer matches once it is away. An agent
 * who never opened a socket (last_seen_at null) is left alone.
 */
export async function markIdleAgentsAway(db: Db): Promise<IdleAgent[]> {
  // A value written into tenants.settings by hand that is no whole number falls back to the default rather than
  // failing the sweep of every tenant (as getTenantSettings does).
  const configured = sql<string>`t.settings -> 'routing' ->> 'awayAfterIdleSeconds'`;
  const idleSeconds = sql<number>`coalesce(CASE WHEN (${configured}) ~ '^[0-9]{1,9}$' THEN (${configured})::int END, ${DEFAULT_AWAY_AFTER_IDLE_SECONDS})`;
  const rows = await db
    .updateTable('agents as a')
    .from(['tenants as t', 'users as u'])
    .set({ presence: 'away', presence_changed_at: sql`now()` })
    .whereRef('t.id', '=', 'a.tenant_id')
    .whereRef('u.id', '=', 'a.user_id')
    .where('a.presence', '=', 'online')
    .where('a.last_seen_at', 'is not', null)
    .where('a.last_seen_at', '<', sql<Date>`now() - make_interval(secs => ${idleSeconds})`)
    .returning((eb) => [
      'a.tenant_id as tenantId',
      'a.user_id as userId',
      'u.name as name',
      eb
        .fn<string[]>('array', [eb.selectFrom('team_members as m').select('m.team_id').whereRef('m.user_id', '=', 'a.user_id').whereRef('m.tenant_id', '=', 'a.tenant_id').orderBy('m.team_id')])
        .as('teamIds'),
    ])
    .execute();
  return rows;
}

/** An agent an external allocator may name: online in the team, with room for the conversation's kind. */
export interface AllocatorCandidate {
  agentId: string;
  name: string;
  active: number;
  capacity: number;
  skills: Record<string, number>;
  languages: string[];
}

/** The team's online agents with room for `kind`, least busy first: what the allocator webhook is offered. */
export async function agentsWithRoom(db: Db, tenantId: string, teamId: string, kind: CapacityKind, limit = 200): Promise<AllocatorCandidate[]> {
  const active = ACTIVE[kind];
  const capacity = `capacity_${kind}` as const;
  const rows = await db
    .selectFrom('agents as a')
    .innerJoin('team_members as m', (j) => j.onRef('m.user_id', '=', 'a.user_id').on('m.team_id', '=', teamId))
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .select(['a.user_id', 'u.name', sql<number>`${sql.ref(`a.${active}`)}`.as('active'), sql<number>`${sql.ref(`a.${capacity}`)}`.as('capacity'), 'a.skills', 'a.languages'])
    .where('a.tenant_id', '=', tenantId)
    .where('a.presence', '=', 'online')
    .where(sql<boolean>`${sql.ref(`a.${active}`)} < ${sql.ref(`a.${capacity}`)}`)
    .orderBy(sql.ref(`a.${active}`))
    .orderBy('a.user_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ agentId: r.user_id, name: r.name, active: r.active, capacity: r.capacity, skills: r.skills ?? {}, languages: r.languages ?? [] }));
}
