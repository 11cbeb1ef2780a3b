import type { Db } from './db-handle.js';

/** What a channel may report about a message it took from Sapa (WhatsApp's `statuses[].status`). */
export type ReceiptStatus = 'sent' | 'delivered' | 'read' | 'failed';

/**
 * The statuses a message may come from to reach each receipt status. Receipts arrive out of order (Meta does not
 * promise order), so a status only moves forward: queued → sent → delivered → read; `failed` only before the
 * customer's phone has it (a `delivered` message cannot fail any more).
 */
const REACHABLE_FROM: Record<ReceiptStatus, string[]> = {
  sent: ['queued'],
  delivered: ['queued', 'sent'],
  read: ['queued', 'sent', 'delivered'],
  failed: ['queued', 'sent'],
};

/** The message a receipt moved, with what `message.updated` needs to reach its audience. */
export interface ReceiptApplied {
  messageId: string;
  conversation: { id: string; teamId: string | null; assigneeId: string | null };
}

/**
 * Applies a channel's receipt to the outbound message it sent under `externalId` on `channelId`. Undefined when no
 * such message exists (not sent by Sapa, or its id not recorded yet) or the receipt would move its status backwards.
 */
export async function applyReceipt(
  db: Db,
  tenantId: string,
  channelId: string,
  externalId: string,
  status: ReceiptStatus,
): Promise<ReceiptApplied | undefined> {
  const updated = await db
    .updateTable('messages')
    .set({ status })
    .where('tenant_id', '=', tenantId)
    .where('channel_id', '=', channelId)
    .where('external_id', '=', externalId)
    .where('direction', '=', 'out')
    .where('status', 'in', REACHABLE_FROM[status])
    .returning(['id', 'conversation_id'])
    .executeTakeFirst();
  if (!updated) return undefined;
  const conversation = await db
    .selectFrom('conversations')
    .select(['id', 'team_id', 'assignee_id'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', updated.conversation_id)
    .executeTakeFirstOrThrow();
  return { messageId: updated.id, conversation: { id: conversation.id, teamId: conversation.team_id, assigneeId: conversation.assignee_id } };
}
