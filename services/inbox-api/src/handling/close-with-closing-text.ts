import type { Kysely } from 'kysely';
import type { Conversation, DB, Delivery, Message } from '@sapa/db';
import { closeLocked } from '@sapa/db/queries/conversation-commands';
import { lockConversation } from '@sapa/db/queries/conversations';
import { insertOutboundWithDelivery } from '@sapa/db/queries/outbound-messages';
import { lastCustomerMessageAt, recordSkippedSystemText } from '@sapa/db/queries/service-window';
import { recordMessageTemplate, templateMessageText } from '@sapa/db/queries/whatsapp-templates';
import { hasServiceWindow, serviceWindow, systemTextPlan, type TemplateChoice } from '@sapa/handling';

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
 * On a channel with WhatsApp's 24-hour window, once it has closed the tenant's closing template goes instead of the
 * text, or, with none configured, nothing goes and the audit log says so (as the ticket service does for its timers).
 * Undefined when there is no such conversation.
 */
export function closeWithClosingText(
  db: Kysely<DB>,
  tenantId: string,
  conversationId: string,
  opts: {
    actorId: string;
    reason: string | null;
    closingText: string | null;
    channelType: string;
    /** The tenant's `whatsapp.closingTemplate`, for when the window has closed. */
    closingTemplate: TemplateChoice | undefined;
    at: Date;
  },
): Promise<ClosedWithText | undefined> {
  return db.transaction().execute(async (trx): Promise<ClosedWithText | undefined> => {
    const conv = await lockConversation(trx, tenantId, conversationId);
    if (!conv) return undefined;
    if (conv.status === 'closed') return { conversation: conv, closedNow: false };
    let text = opts.closingText;
    let template: TemplateChoice | undefined;
    if (text !== null && hasServiceWindow(opts.channelType)) {
      const window = serviceWindow(await lastCustomerMessageAt(trx, tenantId, { contactId: conv.contact_id, channelId: conv.channel_id }), opts.at);
      const plan = systemTextPlan(opts.channelType, window, opts.closingTemplate);
      if (plan.send === 'skip') {
        await recordSkippedSystemText(trx, tenantId, conversationId, { what: 'closing', actorId: opts.actorId, window });
        text = null;
      } else if (plan.send === 'template') {
        template = plan.template;
        text = templateMessageText(plan.template);
      }
    }
    const sent =
      text === null
        ? undefined
        : await insertOutboundWithDelivery(trx, tenantId, {
            conversationId,
            channelId: conv.channel_id,
            authorType: 'system',
            authorId: null,
            text,
            attachments: [],
          });
    if (sent && template) await recordMessageTemplate(trx, tenantId, sent.message.id, { ...template, components: [] });
    const closed = await closeLocked(trx, tenantId, conv, { actorId: opts.actorId, reason: opts.reason });
    return { conversation: closed, closedNow: true, ...(sent ? { sent } : {}) };
  });
}
