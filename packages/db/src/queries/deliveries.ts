import { sql } from 'kysely';
import type { Channel, Delivery, Message } from '../schema.js';
import type { Db } from './db-handle.js';
import type { QuotedMessage } from './message-replies.js';
import { lastCustomerMessageAt } from './service-window.js';
import type { TemplateToSend } from './whatsapp-templates.js';

/**
 * Deliveries: one row per outbound message per channel, the record behind `X-Sapa-Delivery`
 * (api-contract.md §Generic API channel). Its status shows on the message too, so every status change
 * updates both in one transaction.
 */

export interface NewDelivery {
  messageId: string;
  conversationId: string;
  channelId: string;
}

/** Records that a message must go out on a channel; starts `pending`. */
export function createDelivery(db: Db, tenantId: string, delivery: NewDelivery): Promise<Delivery> {
  return db
    .insertInto('deliveries')
    .values({
      tenant_id: tenantId,
      message_id: delivery.messageId,
      conversation_id: delivery.conversationId,
      channel_id: delivery.channelId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A delivery of the tenant, or undefined (also when it belongs to another tenant). */
export function findDelivery(db: Db, tenantId: string, id: string): Promise<Delivery | undefined> {
  return db.selectFrom('deliveries').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

/** Thrown for a cursor that listDeliveries did not make; carries the contract code and status for the error handler. */
export class InvalidCursorError extends Error {
  readonly code = 'invalid_cursor';
  readonly statusCode = 400;
  constructor() {
    super('the cursor is not valid; pass back the nextCursor of a previous page, or none for the first page');
    this.name = 'InvalidCursorError';
  }
}

export interface DeliveryPage {
  items: Delivery[];
  /** Opaque; pass it back as `cursor` for the next page. Null on the last page. */
  nextCursor: string | null;
}

/** Deliveries newest first, optionally of one status, a page at a time (keyset on created_at, id). */
export async function listDeliveries(
  db: Db,
  tenantId: string,
  options: { status?: Delivery['status']; cursor?: string; limit: number },
): Promise<DeliveryPage> {
  let query = db
    .selectFrom('deliveries')
    .selectAll()
    // Microseconds: a JS Date keeps only milliseconds, which would skip or repeat rows at a page edge.
    .select(sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('cursor_at'))
    .where('tenant_id', '=', tenantId);
  if (options.status) query = query.where('status', '=', options.status);
  if (options.cursor) {
    const after = decodeCursor(options.cursor);
    query = query.where(sql<boolean>`(created_at, id) < (${after.at}::timestamptz, ${after.id}::uuid)`);
  }
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit + 1).execute();
  const page = rows.slice(0, options.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(({ cursor_at: _, ...delivery }) => delivery),
    nextCursor: rows.length > options.limit && last ? encodeCursor(last.cursor_at, last.id) : null,
  };
}

function encodeCursor(at: string, id: string): string {
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

function decodeCursor(cursor: string): { at: string; id: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && typeof parsed[0] === 'string' && ISO.test(parsed[0]) && typeof parsed[1] === 'string' && UUID.test(parsed[1])) {
      return { at: parsed[0], id: parsed[1] };
    }
  } catch {
    // falls through to the error below
  }
  throw new InvalidCursorError();
}

/**
 * Puts a failed delivery back to `pending` for an admin's replay (POST /v1/deliveries/{id}/retry): attempts 0,
 * replays + 1 (the caller enqueues `outbound.<type>` with `replay = replays`, a job id of its own), and its
 * message back to `queued`. Undefined when there is no such delivery or it is not `failed`.
 */
export function prepareReplay(db: Db, tenantId: string, id: string): Promise<Delivery | undefined> {
  return inTransaction(db, async (trx) => {
    const delivery = await trx
      .updateTable('deliveries')
      .set({ status: 'pending', attempts: 0, replays: sql`replays + 1`, last_error: null, updated_at: sql`now()` })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('status', '=', 'failed')
      .returningAll()
      .executeTakeFirst();
    if (delivery) await setMessageStatus(trx, tenantId, delivery.message_id, 'queued');
    return delivery;
  });
}

/** Everything the outbound worker needs to send one delivery. */
export interface DeliveryToSend {
  delivery: Delivery;
  message: Pick<Message, 'id' | 'text' | 'attachments' | 'author_type' | 'author_id' | 'status'>;
  /** users.name of an agent author; null for Sapa itself or a deleted user. */
  authorName: string | null;
  conversation: { id: string; teamId: string | null; assigneeId: string | null };
  /** The contact's id on this channel (contact_identities.external_id); null when the contact has none. */
  recipientExternalId: string | null;
  /**
   * When the customer last wrote on this channel, in any conversation (lastCustomerMessageAt); null when they never
   * did. Read only when asked: the channels with a messaging window (Messenger, Instagram) ask, the others do not pay
   * for it on every send.
   */
  customerLastWroteAt(): Promise<Date | null>;
  /** The approved template this message goes as (WhatsApp Cloud API, whatsapp-templates.ts); null for an ordinary message. */
  template: TemplateToSend | null;
  /** The message this one answers, for channels that send a reply as a quote (migration 0016); null when it answers none. */
  replyTo: QuotedMessage | null;
  channel: Channel;
}

export async function findDeliveryToSend(db: Db, tenantId: string, id: string): Promise<DeliveryToSend | undefined> {
  const delivery = await findDelivery(db, tenantId, id);
  if (!delivery) return undefined;
  const [row, channel] = await Promise.all([
    db
      .selectFrom('messages as m')
      .innerJoin('conversations as c', (j) => j.onRef('c.id', '=', 'm.conversation_id').onRef('c.tenant_id', '=', 'm.tenant_id'))
      .leftJoin('users as u', (j) => j.onRef('u.id', '=', 'm.author_id').onRef('u.tenant_id', '=', 'm.tenant_id'))
      .leftJoin('contact_identities as ci', (j) =>
        j.onRef('ci.contact_id', '=', 'c.contact_id').onRef('ci.tenant_id', '=', 'm.tenant_id').on('ci.channel_id', '=', delivery.channel_id),
      )
      .select(['m.id', 'm.text', 'm.attachments', 'm.author_type', 'm.author_id', 'm.status'])
      .select(['u.name as author_name', 'c.id as conversation_id', 'c.contact_id', 'c.team_id', 'c.assignee_id', 'ci.external_id'])
      .select((eb) =>
        eb
          .selectFrom('whatsapp_template_messages as wt')
          .select(sql<TemplateToSend>`json_build_object('name', wt.name, 'language', wt.language, 'components', wt.components)`.as('t'))
          .whereRef('wt.message_id', '=', 'm.id')
          .as('template'),
      )
      .select((eb) =>
        eb
          .selectFrom('messages as q')
          .select(sql<QuotedMessage>`json_build_object('id', q.id, 'externalId', q.external_id, 'direction', q.direction, 'text', q.text)`.as('r'))
          .whereRef('q.id', '=', 'm.reply_to_message_id')
          .whereRef('q.tenant_id', '=', 'm.tenant_id')
          .as('reply_to'),
      )
      .where('m.tenant_id', '=', tenantId)
      .where('m.id', '=', delivery.message_id)
      .orderBy('ci.created_at')
      .limit(1)
      .executeTakeFirst(),
    db.selectFrom('channels').selectAll().where('tenant_id', '=', tenantId).where('id', '=', delivery.channel_id).executeTakeFirst(),
  ]);
  if (!row || !channel) return undefined;
  const { author_name, conversation_id, contact_id, team_id, assignee_id, external_id, template, reply_to, ...message } = row;
  return {
    delivery,
    message,
    authorName: author_name,
    conversation: { id: conversation_id, teamId: team_id, assigneeId: assignee_id },
    recipientExternalId: external_id,
    customerLastWroteAt: () => lastCustomerMessageAt(db, tenantId, { contactId: contact_id, channelId: channel.id }),
    template: template ?? null,
    replyTo: reply_to ?? null,
    channel,
  };
}

/**
 * The delivery reached the channel: delivery and message `sent`, in one transaction. Only a `pending`
 * delivery changes; undefined means it was no longer pending (a redelivered job), so nothing was written.
 * `externalId` is the channel's own id of what it sent (WhatsApp's `wamid`), kept on the message so the channel's
 * later receipts (delivered, read) find it.
 */
export function markDeliverySent(db: Db, tenantId: string, id: string, externalId?: string): Promise<Delivery | undefined> {
  return inTransaction(db, async (trx) => {
    const delivery = await trx
      .updateTable('deliveries')
      .set({ status: 'sent', attempts: sql`attempts + 1`, last_error: null, updated_at: sql`now()` })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .returningAll()
      .executeTakeFirst();
    if (delivery) await setMessageStatus(trx, tenantId, delivery.message_id, 'sent', true, externalId);
    return delivery;
  });
}

/** One attempt failed and another will follow: the delivery stays `pending`, with the attempt and its error recorded. */
export function recordDeliveryAttempt(db: Db, tenantId: string, id: string, error: string): Promise<Delivery | undefined> {
  return db
    .updateTable('deliveries')
    .set({ attempts: sql`attempts + 1`, last_error: error, updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
}

/**
 * No attempt is left (or none can succeed): delivery and message `failed`, in one transaction; the delivery
 * joins the dead-letter list admins read and replay. `countAttempt` is false when the failure was found
 * without sending (e.g. by the sweeper after a worker died).
 */
export function markDeliveryFailed(
  db: Db,
  tenantId: string,
  id: string,
  error: string,
  countAttempt = true,
): Promise<Delivery | undefined> {
  return inTransaction(db, async (trx) => {
    const delivery = await trx
      .updateTable('deliveries')
      .set({
        status: 'failed',
        attempts: countAttempt ? sql`attempts + 1` : sql`attempts`,
        last_error: error,
        updated_at: sql`now()`,
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .returningAll()
      .executeTakeFirst();
    if (delivery) await setMessageStatus(trx, tenantId, delivery.message_id, 'failed');
    return delivery;
  });
}

export interface StalePendingDelivery {
  tenantId: string;
  id: string;
  messageId: string;
  replays: number;
  channelType: string;
}

/**
 * Maintenance, across tenants (the sweeper owns no tenant): deliveries still `pending` whose row has not
 * changed for `olderThanMs`, oldest first. The caller checks each against its queue before acting.
 */
export function listStalePendingDeliveries(db: Db, olderThanMs: number, limit: number): Promise<StalePendingDelivery[]> {
  return db
    .selectFrom('deliveries as d')
    .innerJoin('channels as ch', 'ch.id', 'd.channel_id')
    .select(['d.tenant_id as tenantId', 'd.id', 'd.message_id as messageId', 'd.replays', 'ch.type as channelType'])
    .where('d.status', '=', 'pending')
    .where('d.updated_at', '<', sql<Date>`now() - make_interval(secs => ${olderThanMs / 1000})`)
    .orderBy('d.updated_at')
    .limit(limit)
    .execute();
}

async function setMessageStatus(db: Db, tenantId: string, messageId: string, status: string, sentNow = false, externalId?: string): Promise<void> {
  await db
    .updateTable('messages')
    .set({ status, ...(sentNow ? { sent_at: sql`now()` } : {}), ...(externalId !== undefined ? { external_id: externalId } : {}) })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', messageId)
    .execute();
}

/** Runs `fn` in the caller's transaction when there is one, else in a new one. */
function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

/**
 * Records that the channel took the first `partsSent` calls of a pending delivery's reply; never moves backwards (a
 * late write of an earlier attempt changes nothing).
 */
export async function recordDeliveryParts(db: Db, tenantId: string, deliveryId: string, partsSent: number): Promise<void> {
  await db
    .updateTable('deliveries')
    .set({ parts_sent: partsSent, updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', deliveryId)
    .where('status', '=', 'pending')
    .where('parts_sent', '<', partsSent)
    .execute();
}
