import type { WhatsappTemplateMessage } from '@sapa/contracts';
import type { Kysely } from 'kysely';
import type { DB, Delivery, Message } from '@sapa/db';
import type { Db } from '@sapa/db/queries/db-handle';
import { lastCustomerMessageAt } from '@sapa/db/queries/service-window';
import { createTemplateMessage } from '@sapa/db/queries/whatsapp-templates';
import { hasServiceWindow, sendsTemplates, serviceWindow } from '@sapa/handling';
import { OutsideServiceWindow, TemplateNotSupported } from '../errors.js';

interface ConversationOnChannel {
  id: string;
  tenant_id: string;
  contact_id: string;
  channel_id: string;
  channel_type: string;
}

/**
 * issue 7 §WhatsApp Cloud: free text reaches a whatsapp_cloud customer only within 24 hours of their last message;
 * later WhatsApp refuses it (131047), so the agent hears it now, with when the window closed, rather than as a failed
 * delivery. Other channels pass.
 */
export async function requireOpenServiceWindow(db: Db, conversation: ConversationOnChannel, now: Date): Promise<void> {
  if (!hasServiceWindow(conversation.channel_type)) return;
  const last = await lastCustomerMessageAt(db, conversation.tenant_id, { contactId: conversation.contact_id, channelId: conversation.channel_id });
  const window = serviceWindow(last, now);
  if (window.open) return;
  throw OutsideServiceWindow(undefined, {
    lastCustomerMessageAt: window.lastCustomerMessageAt?.toISOString() ?? null,
    windowClosedAt: window.closesAt?.toISOString() ?? null,
  });
}

/** Stores an agent's template message (whatsapp_cloud only, inside or outside the window) with its delivery. */
export function storeTemplateReply(
  db: Kysely<DB>,
  tenantId: string,
  authorId: string,
  conversation: ConversationOnChannel,
  template: WhatsappTemplateMessage,
): Promise<{ message: Message; delivery: Delivery }> {
  if (!sendsTemplates(conversation.channel_type)) throw TemplateNotSupported(undefined, { channelType: conversation.channel_type });
  return createTemplateMessage(db, tenantId, {
    conversationId: conversation.id,
    channelId: conversation.channel_id,
    authorId,
    template: { name: template.name, language: template.language, components: template.components ?? [] },
  });
}
