import { WhatsappBaileysChannelConfig } from '@sapa/contracts';
import type { ChannelSetup } from './channel-setup.js';
import { configValidator } from './validate-config.js';

const validate = configValidator<WhatsappBaileysChannelConfig>(WhatsappBaileysChannelConfig);

/**
 * The business's own WhatsApp number linked through Baileys (api-contract.md §Channel types). Nothing secret is
 * typed in: the link is made by scanning the QR (or typing the pairing code) that `GET /v1/channels/{id}/pairing`
 * shows, so the channel starts `pairing`; the WhatsApp service (services/whatsapp) sees it within seconds, and its
 * credentials live sealed in `whatsapp_sessions`, not in the channel row.
 */
export const whatsappBaileysChannel: ChannelSetup = {
  prepare(config) {
    const { phoneNumber } = validate(config);
    return { config: phoneNumber ? { phoneNumber: phoneNumber.replace(/^\+/, '') } : {}, secrets: null, status: 'pairing' };
  },
};
