import type { ChannelReceipt, OpenedChannel, WebhookRequest } from '../channel-adapter.js';
import { eventsFor } from './events.js';
import type { MessagingEvent } from './webhook-body.js';

/**
 * What a verified webhook says about messages Sapa sent: Messenger's `delivery` names the `mids` delivered (or,
 * without them, a watermark), its `read` a watermark up to which the customer read everything; Instagram's `read`
 * names the last message seen. The customer is the event's sender (it is they who received and read).
 */
export function pageReceipts(request: WebhookRequest, channel: OpenedChannel): ChannelReceipt[] {
  return eventsFor(request, channel).flatMap(receiptsOf);
}

function receiptsOf(event: MessagingEvent): ChannelReceipt[] {
  const customer = event.sender.id;
  const receipts: ChannelReceipt[] = [];
  const { delivery, read } = event;
  if (delivery?.mids?.length) receipts.push(...delivery.mids.map((mid): ChannelReceipt => ({ externalMessageId: mid, status: 'delivered' })));
  else if (delivery?.watermark !== undefined) receipts.push({ recipientExternalId: customer, upTo: { at: new Date(delivery.watermark) }, status: 'delivered' });
  if (read?.watermark !== undefined) receipts.push({ recipientExternalId: customer, upTo: { at: new Date(read.watermark) }, status: 'read' });
  else if (read?.mid) receipts.push({ recipientExternalId: customer, upTo: { externalMessageId: read.mid }, status: 'read' });
  return receipts;
}
