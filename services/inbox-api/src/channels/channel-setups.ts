import type { ChannelType } from '@sapa/contracts';
import { apiChannel } from './api-channel.js';
import type { ChannelSetup } from './channel-setup.js';
import { telegramChannel } from './telegram-channel.js';
import { whatsappCloudChannel } from './whatsapp-cloud-channel.js';

/** The channel types an admin can create through the API; a new channel type adds its setup here. */
export const CHANNEL_SETUPS: Partial<Record<ChannelType, ChannelSetup>> = {
  api: apiChannel,
  telegram: telegramChannel,
  whatsapp_cloud: whatsappCloudChannel,
};
