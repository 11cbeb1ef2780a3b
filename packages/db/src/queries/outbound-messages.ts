import type { Kysely } from 'kysely';
import type { DB, Delivery, Message } from '../schema.js';
import { createDelivery } from './deliveries.js';
import type { Db } from './db-handle.js';
import { insertOutboundMessage, type OutboundMessageRow } from './messages.js';

/**
 * A message to the customer (an agent's reply, or Sapa's own nudge or closing) with its delivery, in one
 * transaction. The caller enqueues the delivery on the channel's outbound queue after this commits; should
 * that fail, the gateway's sweeper finds the delivery `pending` and sends it.
 */
export function createOutboundMessage(
  db: Kysely<DB>,
  tenantId: string,
  m: OutboundMessageRow,
): Promise<{ message: Message; delivery: Delivery }> {
  return db.transaction().execute((trx) => insertOutboundWithDelivery(trx, tenantId, m));
}

/** The same inside the caller's transaction (e.g. the closing text committed with the close). */
export async function insertOutboundWithDelivery(
  trx: Db,
  tenantId: string,
  m: OutboundMessageRow,
): Promise<{ message: Message; delivery: Delivery }> {
  const message = await insertOutboundMessage(trx, tenantId, m);
  const delivery = await createDelivery(trx, tenantId, { messageId: message.id, conversationId: m.conversationId, channelId: m.channelId });
  return { message, delivery };
}
