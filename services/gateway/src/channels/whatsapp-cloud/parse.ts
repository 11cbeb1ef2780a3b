import type { InboundMessage } from '@sapa/contracts';
import type { OpenedChannel, WebhookRequest } from '../channel-adapter.js';
import { changesFor } from './changes.js';
import { contentOf } from './inbound-content.js';
import type { WhatsappChangeValue } from './webhook-body.js';

/**
 * A verified webhook → every customer message it carries (one body may hold several, across entries and changes).
 * `externalMessageId` is the `wamid`, the same on Meta's redeliveries. A reply names the message it quotes by its wamid
 * (`context.id`): a customer's, or one Sapa sent (stored under the wamid the send answered). Statuses are not
 * messages: see `receipts.ts`.
 */
export function parseWhatsappWebhook(request: WebhookRequest, channel: OpenedChannel, receivedAt: Date): InboundMessage[] {
  return changesFor(request, channel).flatMap((value) => messagesOf(value, channel, receivedAt));
}

function messagesOf(value: WhatsappChangeValue, channel: OpenedChannel, receivedAt: Date): InboundMessage[] {
  return (value.messages ?? []).flatMap((message): InboundMessage[] => {
    const content = contentOf(message);
    if (!content) return [];
    const name = nameOf(value, message.from);
    return [
      {
        tenantId: channel.row.tenant_id,
        channelId: channel.row.id,
        channelType: 'whatsapp_cloud',
        externalMessageId: message.id,
        // The wa_id is where replies go (`to`), and it is the customer's number in international form without `+`.
        from: { externalId: message.from, ...(name && { name }), phone: `+${message.from}` },
        ...(content.text !== undefined && { text: content.text }),
        attachments: content.attachments,
        sentAt: new Date(Number(message.timestamp) * 1000).toISOString(),
        receivedAt: receivedAt.toISOString(),
        ...(message.context?.id && { replyToExternalId: message.context.id }),
      },
    ];
  });
}

function nameOf(value: WhatsappChangeValue, waId: string): string | undefined {
  const contact = value.contacts?.find((c) => c.wa_id === waId) ?? (value.contacts?.length === 1 ? value.contacts[0] : undefined);
  return contact?.profile?.name || undefined;
}
