import type { EventBus } from '@sapa/queue';
import type { Db } from '@sapa/db/queries/db-handle';
import { applyReceipt } from '@sapa/db/queries/message-receipts';
import type { Logger } from '@sapa/service-kit';
import type { ChannelReceipt, OpenedChannel } from '../channels/channel-adapter.js';
import { publishMessageUpdated } from '../outbound/publish-message-status.js';

export interface ReceiptDeps {
  db: Db;
  eventBus: EventBus;
  logger: Logger;
}

/**
 * Moves each message a receipt names forward (never back: receipts arrive out of order) and tells the inbox. A
 * receipt for an id Sapa does not know (a message sent from the WhatsApp app, or whose id is not recorded yet) or
 * one that would move a status back changes nothing. Returns how many messages changed.
 */
export async function applyReceipts(deps: ReceiptDeps, channel: OpenedChannel, receipts: ChannelReceipt[]): Promise<number> {
  let changed = 0;
  for (const receipt of receipts) {
    const applied = await applyReceipt(deps.db, channel.row.tenant_id, channel.row.id, receipt.externalMessageId, receipt.status);
    if (!applied) continue;
    changed += 1;
    await publishMessageUpdated(deps.eventBus, deps.logger, {
      tenantId: channel.row.tenant_id,
      messageId: applied.messageId,
      conversation: applied.conversation,
      status: receipt.status,
    });
  }
  return changed;
}
