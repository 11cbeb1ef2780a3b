import type { Kysely } from 'kysely';
import type { DB, Delivery, Message } from '../schema.js';
import type { Db } from './db-handle.js';
import { insertOutboundWithDelivery } from './outbound-messages.js';

/** An approved WhatsApp template as it goes on the wire (issue 7: the Cloud API's 24-hour window). */
export interface TemplateToSend {
  name: string;
  language: string;
  /** The Cloud API's `components` (header, body, button parameters); empty for a template without variables. */
  components: unknown[];
}

/** What agents read in the transcript for a message sent as a template; the template itself is kept beside it. */
export function templateMessageText(template: Pick<TemplateToSend, 'name' | 'language'>): string {
  return `[template: ${template.name} (${template.language})]`;
}

/** Keeps the template a stored outbound message is to be sent as; run in the transaction that stored the message. */
export async function recordMessageTemplate(db: Db, tenantId: string, messageId: string, template: TemplateToSend): Promise<void> {
  await db
    .insertInto('whatsapp_template_messages')
    .values({ message_id: messageId, tenant_id: tenantId, name: template.name, language: template.language, components: JSON.stringify(template.components) })
    .execute();
}

/**
 * An agent's template message with its delivery and its template, in one transaction: the outbound worker must never
 * find the delivery without the template (it would send the "[template: …]" marker as text).
 */
export function createTemplateMessage(
  db: Kysely<DB>,
  tenantId: string,
  m: { conversationId: string; channelId: string; authorId: string; template: TemplateToSend },
): Promise<{ message: Message; delivery: Delivery }> {
  return db.transaction().execute(async (trx) => {
    const stored = await insertOutboundWithDelivery(trx, tenantId, {
      conversationId: m.conversationId,
      channelId: m.channelId,
      authorType: 'agent',
      authorId: m.authorId,
      text: templateMessageText(m.template),
      attachments: [],
    });
    await recordMessageTemplate(trx, tenantId, stored.message.id, m.template);
    return stored;
  });
}

/** The template a message is to be sent as, or undefined for an ordinary message. */
export async function findMessageTemplate(db: Db, tenantId: string, messageId: string): Promise<TemplateToSend | undefined> {
  const row = await db
    .selectFrom('whatsapp_template_messages')
    .select(['name', 'language', 'components'])
    .where('tenant_id', '=', tenantId)
    .where('message_id', '=', messageId)
    .executeTakeFirst();
  return row && { name: row.name, language: row.language, components: row.components ?? [] };
}
