import type { ChannelAdapter } from './channel-adapter.js';
import { apiChannel } from './api/index.js';
import { livechatChannel } from './livechat/index.js';
import { instagramChannel, messengerChannel } from './meta-messaging/index.js';
import { telegramChannel } from './telegram/index.js';
import { voiceChannel } from './voice/index.js';
import { whatsappCloudChannel } from './whatsapp-cloud/index.js';

/** Every channel the gateway speaks; adding a channel means adding its folder and one line here. */
export const CHANNEL_ADAPTERS: readonly ChannelAdapter[] = [apiChannel, telegramChannel, whatsappCloudChannel, messengerChannel, instagramChannel, livechatChannel, voiceChannel];

export function adapterFor(type: string): ChannelAdapter | undefined {
  return CHANNEL_ADAPTERS.find((adapter) => adapter.type === type);
}
