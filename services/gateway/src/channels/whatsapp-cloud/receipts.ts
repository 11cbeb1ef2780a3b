import type { ChannelReceipt, OpenedChannel, WebhookRequest } from '../channel-adapter.js';
import { changesFor } from './changes.js';

const RECEIPT_STATUSES = new Set<string>(['sent', 'delivered', 'read', 'failed']);

/** The `statuses` of a verified webhook: what became of messages Sapa sent, by their `wamid`. Others (`deleted`) are skipped. */
export function whatsappReceipts(request: WebhookRequest, channel: OpenedChannel): ChannelReceipt[] {
  return changesFor(request, channel).flatMap((value) =>
    (value.statuses ?? []).flatMap((s): ChannelReceipt[] =>
      RECEIPT_STATUSES.has(s.status) ? [{ externalMessageId: s.id, status: s.status as ChannelReceipt['status'] }] : [],
    ),
  );
}
