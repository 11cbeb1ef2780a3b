import type { EventBus } from '@sapa/queue';
import type { Db } from '@sapa/db/queries/db-handle';
import { applyReceipt, type ReceiptApplied } from '@sapa/db/queries/message-receipts';
import { applyWatermarkReceipt } from '@sapa/db/queries/watermark-receipts';
import type { Logger } from '@sapa/service-kit';
import type { ChannelReceipt, OpenedChannel } from '../channels/channel-adapter.js';
import { publishMessageUpdated } from '../outbound/publish-message-status.js';

export interface ReceiptDeps {
  db: Db;
  eventBus: EventBus;
  logger: Logger;
}

/**
 * Moves each message a receipt names, or a watermark reaches, forward (never back: receipts arrive out of order) and
 * tells the inbox. A receipt for an id Sapa does not know (a message sent from the WhatsApp app, or whose id is not
 * recorded yet) or one that would move a status back changes nothing. Returns how many messages changed.
 */
export async function applyReceipts(deps: ReceiptDeps, channel: OpenedChannel, receipts: ChannelReceipt[]): Promise<number> {
  let changed = 0;
  for (const receipt of receipts) {
    for (const applied of await applyOne(deps, channel, receipt)) {
      changed += 1;
      await publishMessageUpdated(deps.eventBus, deps.logger, {
        tenantId: channel.row.tenant_id,
        messageId: applied.messageId,
        conversation: applied.conversation,
        status: receipt.status,
      });
    }
  }
  return changed;
}

async function applyOne(deps: ReceiptDeps, channel: OpenedChannel, receipt: ChannelReceipt): Promise<ReceiptApplied[]> {
  const { tenant_id: tenantId, id: channelId } = channel.row;
  if ('externalMessageId' in receipt) {
    const applied = await applyReceipt(deps.db, tenantId, channelId, receipt.externalMessageId, receipt.status);
    return applied ? [applied] : [];
  }
  return applyWatermarkReceipt(deps.db, tenantId, channelId, receipt.recipientExternalId, receipt.upTo, receipt.status);
}
