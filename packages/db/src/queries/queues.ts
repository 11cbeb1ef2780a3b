import { sql } from 'kysely';
import type { Db } from './db-handle.js';

/** One team's queue as team leaders watch it (GET /v1/queues). */
export interface QueueRow {
  teamId: string;
  teamKey: string;
  waiting: number;
  /** Whole seconds since the oldest waiting conversation was queued; 0 when none waits. */
  oldestWaitingSeconds: number;
  agentsOnline: number;
}

/**
 * Each team's waiting conversations, how long the oldest has waited and how many of its members are online, in
 * one query, by team key. With `teamIds`, only those teams (what a team leader or an agent may watch).
 */
export async function listQueues(db: Db, tenantId: string, options: { teamIds?: readonly string[] } = {}): Promise<QueueRow[]> {
  const teamIds = options.teamIds;
  if (teamIds && teamIds.length === 0) return [];
  let q = db
    .selectFrom('teams as t')
    // The queue's two figures from one pass over its waiting rows (the partial index conversations_queue_idx).
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('conversations as c')
          .select([
            sql<string>`count(*)`.as('waiting'),
            sql<string>`coalesce(greatest(floor(extract(epoch FROM now() - min(c.queued_at))), 0), 0)`.as('oldest'),
          ])
          .whereRef('c.tenant_id', '=', 't.tenant_id')
          .whereRef('c.team_id', '=', 't.id')
          .where('c.status', '=', 'queued')
          .as('queue'),
      (join) => join.onTrue(),
    )
    .select((eb) => [
      't.id as teamId',
      't.key as teamKey',
      'queue.waiting',
      'queue.oldest',
      eb
        .selectFrom('team_members as m')
        .innerJoin('agents as a', (j) => j.onRef('a.user_id', '=', 'm.user_id').onRef('a.tenant_id', '=', 'm.tenant_id'))
        .innerJoin('users as u', 'u.id', 'm.user_id')
        .select(sql<string>`count(*)`.as('n'))
        .whereRef('m.team_id', '=', 't.id')
        .where('a.presence', '=', 'online')
        .where('u.is_active', '=', true)
        .as('agentsOnline'),
    ])
    .where('t.tenant_id', '=', tenantId);
  if (teamIds) q = q.where('t.id', 'in', [...teamIds]);
  const rows = await q.orderBy('t.key').execute();
  // count() and floor() come back as text (bigint, numeric): small numbers, safe as JS numbers.
  return rows.map((r) => ({
    teamId: r.teamId,
    teamKey: r.teamKey,
    waiting: Number(r.waiting),
    oldestWaitingSeconds: Number(r.oldest),
    agentsOnline: Number(r.agentsOnline),
  }));
}
