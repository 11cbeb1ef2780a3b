import type { InboundMessage } from '@sapa/contracts';
import type { OpenedChannel, WebhookRequest } from '../channel-adapter.js';
import type { PageMessagingType } from './credentials.js';
import { eventsFor } from './events.js';
import { contentOf } from './inbound-content.js';

/**
 * A verified webhook → every customer message it carries (one body may hold several, across entries). The customer
 * is the sender's Page-scoped id (PSID, Messenger) or Instagram-scoped id (IGSID), which is also where replies go;
 * Meta gives no name in the webhook (a Graph profile lookup would cost a call per customer), so `from` has none.
 * `externalMessageId` is the `mid`, the same on Meta's redeliveries. Reads and deliveries are not messages: see
 * `receipts.ts`.
 */
export function parsePageWebhook(request: WebhookRequest, channel: OpenedChannel, receivedAt: Date): InboundMessage[] {
  return eventsFor(request, channel).flatMap((event): InboundMessage[] => {
    const content = contentOf(event);
    if (!content) return [];
    return [
      {
        tenantId: channel.row.tenant_id,
        channelId: channel.row.id,
        channelType: channel.row.type as PageMessagingType,
        externalMessageId: content.externalMessageId,
        from: { externalId: event.sender.id },
        ...(content.text !== undefined && { text: content.text }),
        attachments: content.attachments,
        ...(event.timestamp !== undefined && { sentAt: new Date(event.timestamp).toISOString() }),
        receivedAt: receivedAt.toISOString(),
        ...(content.replyToExternalId && { replyToExternalId: content.replyToExternalId }),
      },
    ];
  });
}
