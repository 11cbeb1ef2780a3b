import type { Kysely } from 'kysely';
import type { Conversation, DB, Delivery, Message } from '@sapa/db';
import { releaseCapacity } from '@sapa/db/queries/agents';
import { recordAssignment } from '@sapa/db/queries/assignments';
import { lockConversation, markClosed } from '@sapa/db/queries/conversations';
import { createDelivery } from '@sapa/db/queries/deliveries';
import { insertOutboundMessage } from '@sapa/db/queries/messages';

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
 * finds the row closed. The close itself is closeConversation's (capacity freed, assignment recorded).
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
    let sent: ClosedWithText['sent'];
    if (opts.closingText !== null) {
      const message = await insertOutboundMessage(trx, tenantId, {
        conversationId,
        channelId: conv.channel_id,
        authorType: 'system',
        authorId: null,
        text: opts.closingText,
        attachments: [],
      });
      const delivery = await createDelivery(trx, tenantId, { messageId: message.id, conversationId, channelId: conv.channel_id });
      sent = { message, delivery };
    }
    if (conv.assignee_id) await releaseCapacity(trx, tenantId, conv.assignee_id, conv.kind);
    const closed = await markClosed(trx, tenantId, conversationId, opts.reason);
    await recordAssignment(trx, tenantId, {
      conversationId,
      action: 'closed',
      agentId: conv.assignee_id,
      teamId: conv.team_id,
      actorId: opts.actorId,
      reason: opts.reason,
    });
    return { conversation: closed, closedNow: true, ...(sent ? { sent } : {}) };
  });
}
