import { sql, type Expression, type SqlBool } from 'kysely';
import type { Conversation, Message } from '../schema.js';
import type { Db } from './db-handle.js';

/** A conversation as the inbox shows it: the row with its contact's name and its channel's type. */
export type ConversationView = Conversation & { contact_name: string | null; channel_type: string };

/**
 * Which of a tenant's conversations a user may see. `all` for admins and QC; otherwise the user's own,
 * the waiting ones of `queueTeamIds`, and every one of `wholeTeamIds` (the teams they lead).
 */
export type ConversationScope =
  | { all: true }
  | { all: false; userId: string; queueTeamIds: string[]; wholeTeamIds: string[] };

export interface ConversationFilter {
  status?: Conversation['status'];
  assigneeId?: string;
  teamId?: string;
  /** Id of the last conversation of the previous page (newest first). */
  after?: string;
  limit: number;
}

function baseView(db: Db, tenantId: string) {
  return db
    .selectFrom('conversations as c')
    .innerJoin('contacts as ct', 'ct.id', 'c.contact_id')
    .innerJoin('channels as ch', 'ch.id', 'c.channel_id')
    .selectAll('c')
    .select(['ct.name as contact_name', 'ch.type as channel_type'])
    .where('c.tenant_id', '=', tenantId);
}

/** A page of the tenant's conversations within the scope, newest first (keyset on created_at, id). */
export function listConversationViews(
  db: Db,
  tenantId: string,
  scope: ConversationScope,
  filter: ConversationFilter,
): Promise<ConversationView[]> {
  let q = baseView(db, tenantId).where((eb) => {
    if (scope.all) return sql<SqlBool>`true`;
    const visible: Expression<SqlBool>[] = [eb('c.assignee_id', '=', scope.userId)];
    if (scope.queueTeamIds.length > 0) visible.push(eb.and([eb('c.team_id', 'in', scope.queueTeamIds), eb('c.status', '=', 'queued')]));
    if (scope.wholeTeamIds.length > 0) visible.push(eb('c.team_id', 'in', scope.wholeTeamIds));
    return eb.or(visible);
  });
  if (filter.status) q = q.where('c.status', '=', filter.status);
  if (filter.assigneeId) q = q.where('c.assignee_id', '=', filter.assigneeId);
  if (filter.teamId) q = q.where('c.team_id', '=', filter.teamId);
  if (filter.after) {
    q = q.where(
      sql<SqlBool>`(c.created_at, c.id) < (SELECT created_at, id FROM conversations WHERE tenant_id = ${tenantId} AND id = ${filter.after})`,
    );
  }
  return q.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').limit(filter.limit).execute();
}

/** One conversation of the tenant as the inbox shows it; visibility is the caller's to check. */
export function findConversationView(db: Db, tenantId: string, conversationId: string): Promise<ConversationView | undefined> {
  return baseView(db, tenantId).where('c.id', '=', conversationId).executeTakeFirst();
}

/** A conversation's messages, oldest first (keyset on created_at, id). */
export function listMessages(
  db: Db,
  tenantId: string,
  conversationId: string,
  page: { after?: string; limit: number },
): Promise<Message[]> {
  let q = db.selectFrom('messages as m').selectAll('m').where('m.tenant_id', '=', tenantId).where('m.conversation_id', '=', conversationId);
  if (page.after) {
    q = q.where(
      sql<SqlBool>`(m.created_at, m.id) > (SELECT created_at, id FROM messages WHERE tenant_id = ${tenantId} AND id = ${page.after})`,
    );
  }
  return q.orderBy('m.created_at').orderBy('m.id').limit(page.limit).execute();
}
