import { sql } from 'kysely';
import type { Agent } from '../schema.js';
import type { Db } from './db-handle.js';

export type CapacityKind = 'chat' | 'email' | 'voice';

const ACTIVE = { chat: 'active_chat', email: 'active_email', voice: 'active_voice' } as const;
const CAPACITY = { chat: 'capacity_chat', email: 'capacity_email', voice: 'capacity_voice' } as const;

export function findAgent(db: Db, tenantId: string, userId: string): Promise<Agent | undefined> {
  return db.selectFrom('agents').selectAll().where('tenant_id', '=', tenantId).where('user_id', '=', userId).executeTakeFirst();
}

/** Sets an agent's presence; undefined when the user is not an agent of this tenant. */
export function setPresence(db: Db, tenantId: string, userId: string, status: Agent['presence']): Promise<Agent | undefined> {
  return db
    .updateTable('agents')
    .set({ presence: status, presence_changed_at: new Date() })
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
