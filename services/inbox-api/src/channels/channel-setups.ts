import type { ChannelType } from '@sapa/contracts';
import { apiChannel } from './api-channel.js';
import type { ChannelSetup } from './channel-setup.js';
import { emailChannel } from './email-channel.js';
import { livechatChannel } from './livechat-channel.js';
import { instagramChannel, messengerChannel } from './meta-page-channel.js';
import { telegramChannel } from './telegram-channel.js';
import { voiceChannel } from './voice-channel.js';
import { whatsappBaileysChannel } from './whatsapp-baileys-channel.js';
import { whatsappCloudChannel } from './whatsapp-cloud-channel.js';

/** The channel types an admin can create through the API; a new channel type adds its setup here. */
export const CHANNEL_SETUPS: Partial<Record<ChannelType, ChannelSetup>> = {
  api: apiChannel,
  email: emailChannel,
  telegram: telegramChannel,
  whatsapp_cloud: whatsappCloudChannel,
  whatsapp_baileys: whatsappBaileysChannel,
  messenger: messengerChannel,
  instagram: instagramChannel,
  voice: voiceChannel,
  livechat: livechatChannel,
};
