import type { Kysely } from 'kysely';
import type { Conversation, DB, Delivery, Message } from '@sapa/db';
import { closeLocked } from '@sapa/db/queries/conversation-commands';
import { lockConversation } from '@sapa/db/queries/conversations';
import { insertOutboundWithDelivery } from '@sapa/db/queries/outbound-messages';

export interface ClosedWithText {
  conversation: Conversation;
  /** False when it was closed already (by another request, or the ticket service): nothing was sent or changed. */
  closedNow: boolean;
  /** The closing text and its delivery, when one was sent. */
  sent?: { message: Message; delivery: Delivery };
}

/**
 * Closes a conversation and, in the same transaction with its row locked, stores the closing text (salam penutup,
 * customer-handling.md §phase 7) as a `system` message with its delivery. One transaction, rather than
 * createOutboundMessage and then closeConversation, so two closes at once send the closing text once: the second
 * finds the row closed.
 * Undefined when there is no such conversation.
 */
export function closeWithClosingText(
  db: Kysely<DB>,
  tenantId: string,
  conversationId: string,
  opts: { actorId: string; reason: string | null; closingText: string | null },
): Promise<ClosedWithText | undefined> {
  return db.transaction().execute(async (trx): Promise<ClosedWithText | undefined> => {
    const conv = await lockConversation(trx, tenantId, conversationId);
    if (!conv) return undefined;
    if (conv.status === 'closed') return { conversation: conv, closedNow: false };
    const sent =
      opts.closingText === null
        ? undefined
        : await insertOutboundWithDelivery(trx, tenantId, {
            conversationId,
            channelId: conv.channel_id,
            authorType: 'system',
            authorId: null,
            text: opts.closingText,
            attachments: [],
          });
    const closed = await closeLocked(trx, tenantId, conv, { actorId: opts.actorId, reason: opts.reason });
    return { conversation: closed, closedNow: true, ...(sent ? { sent } : {}) };
  });
}
