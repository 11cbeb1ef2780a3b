import { sql, type Selectable } from 'kysely';
import type { QcScoresTable } from '../schema.js';
import type { Db } from './db-handle.js';

/** Quality control's scores of conversations (issue 5 item 7): inserted once, never edited. */
export type QcScoreRow = Selectable<QcScoresTable>;

export interface QcScore {
  id: string;
  conversationId: string;
  agentId: string;
  criteria: Record<string, number>;
  total: number;
  note: string | null;
  createdAt: Date;
}

export interface NewQcScore {
  conversationId: string;
  agentId: string;
  scorerId: string;
  criteria: Record<string, number>;
  total: number;
  note: string | null;
}

export async function insertQcScore(db: Db, tenantId: string, s: NewQcScore): Promise<QcScore> {
  const row = await db
    .insertInto('qc_scores')
    .values({
      tenant_id: tenantId,
      conversation_id: s.conversationId,
      agent_id: s.agentId,
      scorer_id: s.scorerId,
      criteria: JSON.stringify(s.criteria),
      total: s.total,
      note: s.note,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toScore(row);
}

/** Whose scores a reader sees: the whole tenant, or the agents of the teams they lead. */
export type QcScope = { all: true } | { all: false; leaderOfTeamIds: string[] };

export interface QcScoreFilter {
  scope: QcScope;
  agentId?: string;
  from?: Date;
  to?: Date;
  limit: number;
}

export interface QcAgentSummary {
  agentId: string;
  count: number;
  average: number;
}

/** Scores matching the filter, newest first (at most `limit`), and per-agent count and mean total over all of them. */
export async function listQcScores(db: Db, tenantId: string, f: QcScoreFilter): Promise<{ items: QcScore[]; summary: QcAgentSummary[] }> {
  if (!f.scope.all && f.scope.leaderOfTeamIds.length === 0) return { items: [], summary: [] };
  const scoped = () => {
    let q = db.selectFrom('qc_scores').where('qc_scores.tenant_id', '=', tenantId).where('qc_scores.agent_id', 'is not', null);
    if (f.agentId) q = q.where('qc_scores.agent_id', '=', f.agentId);
    if (f.from) q = q.where('qc_scores.created_at', '>=', f.from);
    if (f.to) q = q.where('qc_scores.created_at', '<', f.to);
    if (!f.scope.all) {
      const teamIds = f.scope.leaderOfTeamIds;
      q = q.where('qc_scores.agent_id', 'in', (eb) =>
        eb.selectFrom('team_members').select('team_members.user_id').where('team_members.tenant_id', '=', tenantId).where('team_members.team_id', 'in', teamIds),
      );
    }
    return q;
  };
  const rows = await scoped().selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
  const summary = await scoped()
    .select(['agent_id', sql<string>`count(*)`.as('count'), sql<string>`round(avg(total), 2)`.as('average')])
    .groupBy('agent_id')
    .orderBy('agent_id')
    .execute();
  return {
    items: rows.map(toScore),
    summary: summary.map((s) => ({ agentId: s.agent_id!, count: Number(s.count), average: Number(s.average) })),
  };
}

function toScore(row: QcScoreRow): QcScore {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    agentId: row.agent_id!,
    criteria: row.criteria,
    total: Number(row.total),
    note: row.note,
    createdAt: row.created_at,
  };
}
