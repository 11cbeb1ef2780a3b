import { sql } from 'kysely';
import type { Selectable } from 'kysely';
import type { LivechatVisitorsTable } from '../schemas/livechat.js';
import type { Db } from './db-handle.js';
import type { QuotedMessage } from './message-replies.js';

/**
 * The live chat's visitors and what they see (schemas/livechat.ts). A visitor's id is their `external_id` on the
 * channel, so their conversations are found through contact_identities like any channel's customer.
 */

export type LivechatVisitor = Selectable<LivechatVisitorsTable>;

/** Tokens unused for this long stop resuming: a shared computer's old chat does not reopen for the next person. */
export const VISITOR_TOKEN_IDLE_DAYS = 90;

export interface NewVisitor {
  channelId: string;
  tokenHash: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  lang: 'id' | 'en';
}

export function insertVisitor(db: Db, tenantId: string, v: NewVisitor): Promise<LivechatVisitor> {
  return db
    .insertInto('livechat_visitors')
    .values({ tenant_id: tenantId, channel_id: v.channelId, token_hash: v.tokenHash, name: v.name, phone: v.phone, email: v.email, lang: v.lang })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * The visitor holding this token on this channel, seen now; undefined for an unknown token, another channel's, or one
 * idle for VISITOR_TOKEN_IDLE_DAYS. Looked up by the channel of the socket's URL: the token names the tenant.
 */
export function resumeVisitor(db: Db, channelId: string, tokenHash: string): Promise<LivechatVisitor | undefined> {
  return db
    .updateTable('livechat_visitors')
    .set({ last_seen_at: sql`now()` })
    .where('channel_id', '=', channelId)
    .where('token_hash', '=', tokenHash)
    .where('last_seen_at', '>', sql<Date>`now() - make_interval(days => ${VISITOR_TOKEN_IDLE_DAYS})`)
    .returningAll()
    .executeTakeFirst();
}

/** The visitor's latest conversation on the channel (open or not), with what typing and leaving need. */
export interface VisitorConversation {
  id: string;
  status: 'queued' | 'assigned' | 'on_hold' | 'closed';
  teamId: string | null;
  assigneeId: string | null;
}

export async function latestVisitorConversation(db: Db, tenantId: string, channelId: string, visitorId: string): Promise<VisitorConversation | undefined> {
  const row = await db
    .selectFrom('contact_identities as ci')
    .innerJoin('conversations as c', (j) => j.onRef('c.contact_id', '=', 'ci.contact_id').onRef('c.tenant_id', '=', 'ci.tenant_id').onRef('c.channel_id', '=', 'ci.channel_id'))
    .select(['c.id', 'c.status', 'c.team_id', 'c.assignee_id'])
    .where('ci.tenant_id', '=', tenantId)
    .where('ci.channel_id', '=', channelId)
    .where('ci.external_id', '=', visitorId)
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && { id: row.id, status: row.status, teamId: row.team_id, assigneeId: row.assignee_id };
}

/** Who is behind a conversation on a live chat channel: its contact's external id there (a visitor id). */
export async function visitorOfConversation(db: Db, tenantId: string, conversationId: string): Promise<{ channelId: string; visitorId: string } | undefined> {
  const row = await db
    .selectFrom('conversations as c')
    .innerJoin('contact_identities as ci', (j) => j.onRef('ci.contact_id', '=', 'c.contact_id').onRef('ci.tenant_id', '=', 'c.tenant_id').onRef('ci.channel_id', '=', 'c.channel_id'))
    .select(['c.channel_id', 'ci.external_id'])
    .where('c.tenant_id', '=', tenantId)
    .where('c.id', '=', conversationId)
    .orderBy('ci.created_at')
    .limit(1)
    .executeTakeFirst();
  return row && { channelId: row.channel_id, visitorId: row.external_id };
}

/** One line of the visitor's transcript, with the author's name and a cursor exact to the microsecond. */
export interface TranscriptLine {
  id: string;
  conversation_id: string;
  direction: 'in' | 'out';
  author_type: 'contact' | 'agent' | 'system';
  author_name: string | null;
  text: string | null;
  attachments: Array<{ url: string; contentType: string; filename?: string; id?: string; size?: number }>;
  external_id: string | null;
  /** The message this one answers (migration 0016), its text cut to its first 200 characters; null when none. */
  reply_to: QuotedMessage | null;
  created_at: Date;
  /** created_at as `YYYY-MM-DDTHH:MM:SS.ffffffZ`: a JS Date keeps only milliseconds. */
  at: string;
}

/**
 * The visitor's messages on the channel, oldest first, at most `limit` (the latest ones). With `since` (a
 * microsecond ISO time), those created after `since - overlapSeconds` in any of their conversations: transactions
 * commit out of created_at order, so a message can appear behind the cursor a moment later; the overlap catches it and
 * the widget drops what it already shows by id. Without `since`, the whole latest conversation.
 */
export async function visitorTranscript(
  db: Db,
  tenantId: string,
  channelId: string,
  visitorId: string,
  options: { since?: string; overlapSeconds: number; limit: number },
): Promise<TranscriptLine[]> {
  let q = db
    .selectFrom('contact_identities as ci')
    .innerJoin('conversations as c', (j) => j.onRef('c.contact_id', '=', 'ci.contact_id').onRef('c.tenant_id', '=', 'ci.tenant_id').onRef('c.channel_id', '=', 'ci.channel_id'))
    .innerJoin('messages as m', (j) => j.onRef('m.conversation_id', '=', 'c.id').onRef('m.tenant_id', '=', 'c.tenant_id'))
    .leftJoin('users as u', (j) => j.onRef('u.id', '=', 'm.author_id').onRef('u.tenant_id', '=', 'm.tenant_id'))
    .select(['m.id', 'm.conversation_id', 'm.direction', 'm.author_type', 'u.name as author_name', 'm.text', 'm.attachments', 'm.external_id', 'm.created_at'])
    .select(sql<string>`to_char(m.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('at'))
    .select((eb) =>
      eb
        .selectFrom('messages as q')
        .select(sql<QuotedMessage>`json_build_object('id', q.id, 'externalId', q.external_id, 'direction', q.direction, 'text', left(q.text, 200))`.as('r'))
        .whereRef('q.id', '=', 'm.reply_to_message_id')
        .whereRef('q.tenant_id', '=', 'm.tenant_id')
        .as('reply_to'),
    )
    .where('ci.tenant_id', '=', tenantId)
    .where('ci.channel_id', '=', channelId)
    .where('ci.external_id', '=', visitorId);
  if (options.since) {
    q = q.where('m.created_at', '>', sql<Date>`${options.since}::timestamptz - make_interval(secs => ${options.overlapSeconds})`);
  } else {
    q = q.where('c.id', '=', (eb) =>
      eb
        .selectFrom('conversations as lc')
        .select('lc.id')
        .where('lc.tenant_id', '=', tenantId)
        .whereRef('lc.contact_id', '=', 'ci.contact_id')
        .where('lc.channel_id', '=', channelId)
        .orderBy('lc.created_at', 'desc')
        .orderBy('lc.id', 'desc')
        .limit(1),
    );
  }
  const rows = await q.orderBy('m.created_at', 'desc').orderBy('m.id', 'desc').limit(options.limit).execute();
  return rows.reverse() as TranscriptLine[];
}

/** The stored files a visitor may attach to a message: uploaded on this channel of this tenant. */
export function findChannelAttachments(db: Db, tenantId: string, channelId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('attachments')
    .select(['id', 'content_type', 'filename', 'size'])
    .where('tenant_id', '=', tenantId)
    .where('channel_id', '=', channelId)
    .where('id', 'in', ids)
    .execute();
}
