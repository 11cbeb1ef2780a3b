import { sql } from 'kysely';
import type { Conversation } from '../schema.js';
import type { Db } from './db-handle.js';

/**
 * Where a waiting conversation stands in its team's queue, in the drain's order (priority, then oldest), with the
 * team's agents online and the mean assignment-to-close time of its conversations closed in the last day.
 */
export async function queueStanding(db: Db, conv: Conversation): Promise<{ position: number; agentsOnline: number; avgHandleSeconds: number | null }> {
  const { rows } = await sql<{ position: number; agents_online: number; avg_handle: number | null }>`
    SELECT
      (SELECT count(*)::int FROM conversations q
        WHERE q.tenant_id = ${conv.tenant_id} AND q.team_id = ${conv.team_id} AND q.status = 'queued'
          -- The row's own queued_at, not the JS Date's: Postgres keeps microseconds, a Date only milliseconds.
          AND (q.priority > ${conv.priority} OR (q.priority = ${conv.priority}
               AND (q.queued_at, q.id) <= (SELECT o.queued_at, o.id FROM conversations o WHERE o.id = ${conv.id})))) AS position,
      (SELECT count(*)::int FROM agents a JOIN team_members m ON m.user_id = a.user_id AND m.team_id = ${conv.team_id}
        WHERE a.tenant_id = ${conv.tenant_id} AND a.presence = 'online') AS agents_online,
      (SELECT avg(extract(epoch FROM c.closed_at - c.assigned_at))::float8 FROM conversations c
        WHERE c.tenant_id = ${conv.tenant_id} AND c.team_id = ${conv.team_id} AND c.status = 'closed'
          AND c.assigned_at IS NOT NULL AND c.closed_at > now() - interval '1 day') AS avg_handle`.execute(db);
  const row = rows[0]!;
  return { position: row.position, agentsOnline: row.agents_online, avgHandleSeconds: row.avg_handle };
}

/**
 * Marks that the waiting customer was told `notice`, once per conversation: undefined when they were told before or
 * the conversation no longer waits (two routers, a retry, an agent who took it meanwhile).
 */
export function claimWaitingNotice(db: Db, tenantId: string, conversationId: string, notice: NonNullable<Conversation['waiting_notice']>): Promise<Conversation | undefined> {
  return db
    .updateTable('conversations')
    .set({ waiting_notice: notice })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', conversationId)
    .where('status', '=', 'queued')
    .where('waiting_notice', 'is', null)
    .returningAll()
    .executeTakeFirst();
}
