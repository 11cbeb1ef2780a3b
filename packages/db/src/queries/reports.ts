import { sql, type RawBuilder } from 'kysely';
import type { Db } from './db-handle.js';
import { isBreached } from './tickets.js';

/**
 * The service-level report (issue 5 item 6), computed in Postgres over one tenant, a time window [from, to) and,
 * optionally, a set of teams (the conversation's team).
 */
export interface ReportWindow {
  from: Date;
  to: Date;
  /** Only conversations of these teams (and tickets of their conversations); undefined = every team. */
  teamIds?: string[];
}

export interface FirstResponseStats {
  /** Conversations first assigned in the window that an agent has answered. */
  answered: number;
  p50Seconds: number | null;
  p90Seconds: number | null;
  withinTarget: number;
}

/**
 * First response: from a conversation's first assignment (assignments `assigned`) to the first agent message after
 * it (messages `out`/`agent`), over conversations first assigned in the window. Unanswered ones are not measured.
 */
export async function firstResponseStats(db: Db, tenantId: string, w: ReportWindow, targetSeconds: number): Promise<FirstResponseStats> {
  const { rows } = await sql<{ answered: string; p50: number | null; p90: number | null; within: string }>`
    WITH firsts AS (
      SELECT a.conversation_id, min(a.created_at) AS assigned_at
      FROM assignments a
      WHERE a.tenant_id = ${tenantId} AND a.action = 'assigned'
      GROUP BY a.conversation_id
    ), waits AS (
      SELECT extract(epoch FROM (
        SELECT min(m.created_at) FROM messages m
        WHERE m.tenant_id = ${tenantId} AND m.conversation_id = f.conversation_id
          AND m.direction = 'out' AND m.author_type = 'agent' AND m.created_at >= f.assigned_at
      ) - f.assigned_at)::float8 AS seconds
      FROM firsts f
      JOIN conversations c ON c.id = f.conversation_id AND c.tenant_id = ${tenantId}
      WHERE f.assigned_at >= ${w.from} AND f.assigned_at < ${w.to} ${teamFilter(w, sql.ref('c.team_id'))}
    )
    SELECT count(seconds) AS answered,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS p50,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) AS p90,
      count(*) FILTER (WHERE seconds <= ${targetSeconds}) AS within
    FROM waits WHERE seconds IS NOT NULL
  `.execute(db);
  const row = rows[0];
  return {
    answered: Number(row?.answered ?? 0),
    p50Seconds: row?.p50 ?? null,
    p90Seconds: row?.p90 ?? null,
    withinTarget: Number(row?.within ?? 0),
  };
}

/** Conversations closed in the window, and how many of them no ticket of theirs was dispatched beyond the agent. */
export async function fcrStats(db: Db, tenantId: string, w: ReportWindow): Promise<{ closed: number; resolvedFirstContact: number }> {
  const { rows } = await sql<{ closed: string; first_contact: string }>`
    SELECT count(*) AS closed,
      count(*) FILTER (WHERE NOT EXISTS (
        SELECT 1 FROM tickets t JOIN ticket_events e ON e.ticket_id = t.id AND e.tenant_id = ${tenantId}
        WHERE t.tenant_id = ${tenantId} AND t.conversation_id = c.id AND e.kind = 'dispatched'
      )) AS first_contact
    FROM conversations c
    WHERE c.tenant_id = ${tenantId} AND c.status = 'closed' AND c.closed_at >= ${w.from} AND c.closed_at < ${w.to}
      ${teamFilter(w, sql.ref('c.team_id'))}
  `.execute(db);
  return { closed: Number(rows[0]?.closed ?? 0), resolvedFirstContact: Number(rows[0]?.first_contact ?? 0) };
}

/**
 * Tickets opened in the window, by playbook and by the team that holds them now (one still with the agent who
 * opened it counts under its conversation's team).
 */
export async function ticketCounts(db: Db, tenantId: string, w: ReportWindow) {
  const base = (key: RawBuilder<unknown>) => sql<{ key: string; count: string }>`
    SELECT ${key} AS key, count(*) AS count
    FROM tickets t
    LEFT JOIN conversations c ON c.id = t.conversation_id AND c.tenant_id = ${tenantId}
    LEFT JOIN teams tm ON tm.id = c.team_id AND tm.tenant_id = ${tenantId}
    WHERE t.tenant_id = ${tenantId} AND t.created_at >= ${w.from} AND t.created_at < ${w.to} ${teamFilter(w, sql.ref('c.team_id'))}
    GROUP BY 1 ORDER BY count(*) DESC, 1
  `;
  const byPlaybook = await base(sql`t.playbook_key`).execute(db);
  const byTeam = await base(sql`coalesce(t.team, tm.key, 'none')`).execute(db);
  return {
    byPlaybook: byPlaybook.rows.map((r) => ({ playbookKey: r.key, count: Number(r.count) })),
    byTeam: byTeam.rows.map((r) => ({ team: r.key, count: Number(r.count) })),
  };
}

/**
 * Ticket SLA breaches of the window: tickets whose due time fell in it and that missed it (the breach recorded, or
 * still unfinished past it and not waiting on the customer), under the conversation's team like the ticket counts.
 */
export async function ticketBreaches(db: Db, tenantId: string, w: ReportWindow): Promise<number> {
  const result = await sql<{ count: string }>`
    SELECT count(*) AS count
    FROM tickets t
    LEFT JOIN conversations c ON c.id = t.conversation_id AND c.tenant_id = ${tenantId}
    WHERE t.tenant_id = ${tenantId} AND t.due_at >= ${w.from} AND t.due_at < ${w.to}
      AND ${isBreached}
      ${teamFilter(w, sql.ref('c.team_id'))}
  `.execute(db);
  return Number(result.rows[0]?.count ?? 0);
}

function teamFilter(w: ReportWindow, column: RawBuilder<unknown>) {
  if (!w.teamIds) return sql``;
  if (w.teamIds.length === 0) return sql`AND false`;
  return sql`AND ${column} IN (${sql.join(w.teamIds)})`;
}
