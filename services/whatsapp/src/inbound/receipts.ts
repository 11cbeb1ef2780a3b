import { proto, type BaileysEventMap } from '@whiskeysockets/baileys';
import type { ChannelReceipt } from '@sapa/gateway';

const { Status } = proto.WebMessageInfo;

/** Baileys' message status → Sapa's receipt status; PENDING says nothing new, PLAYED (a voice note heard) is read. */
function receiptStatusOf(status: proto.WebMessageInfo.Status | null | undefined): ChannelReceipt['status'] | undefined {
  switch (status) {
    case Status.SERVER_ACK:
      return 'sent';
    case Status.DELIVERY_ACK:
      return 'delivered';
    case Status.READ:
    case Status.PLAYED:
      return 'read';
    case Status.ERROR:
      return 'failed';
    default:
      return undefined;
  }
}

/** `messages.update` → receipts for messages Sapa sent (fromMe); edits, deletions and others' messages give none. */
export function receiptsFromUpdates(updates: BaileysEventMap['messages.update']): ChannelReceipt[] {
  return updates.flatMap(({ key, update }) => {
    const status = receiptStatusOf(update.status);
    return key.fromMe && key.id && status ? [{ externalMessageId: key.id, status }] : [];
  });
}

/** `message-receipt.update` (per-recipient receipts, what Baileys emits for groups and some devices) → receipts. */
export function receiptsFromUserReceipts(receipts: BaileysEventMap['message-receipt.update']): ChannelReceipt[] {
  return receipts.flatMap(({ key, receipt }) => {
    if (!key.fromMe || !key.id) return [];
    const status: ChannelReceipt['status'] | undefined = receipt.readTimestamp || receipt.playedTimestamp ? 'read' : receipt.receiptTimestamp ? 'delivered' : undefined;
    return status ? [{ externalMessageId: key.id, status }] : [];
  });
}
