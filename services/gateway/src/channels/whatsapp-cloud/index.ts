import type { ChannelAdapter } from '../channel-adapter.js';
import { parseWhatsappWebhook } from './parse.js';
import { whatsappMediaFetcher } from './media.js';
import { whatsappReceipts } from './receipts.js';
import { sendWhatsappMessage } from './send.js';
import { verifyWhatsappWebhook, whatsappHandshake } from './verify.js';

/** A WhatsApp Business number on Meta's Cloud API (api-contract.md §Channel types). */
export const whatsappCloudChannel: ChannelAdapter = {
  type: 'whatsapp_cloud',
  inbound: {
    segment: 'whatsapp',
    verify: verifyWhatsappWebhook,
    parse: parseWhatsappWebhook,
    handshake: whatsappHandshake,
    receipts: whatsappReceipts,
  },
  outbound: { send: sendWhatsappMessage },
  media: whatsappMediaFetcher,
};
