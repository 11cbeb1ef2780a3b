import { DEFAULT_GRAPH_API_BASE, WhatsappCloudChannelConfig } from '@sapa/contracts';
import type { ChannelSetup } from './channel-setup.js';
import { configValidator } from './validate-config.js';

const validate = configValidator<WhatsappCloudChannelConfig>(WhatsappCloudChannelConfig);

/**
 * A WhatsApp Business number on Meta's Cloud API (api-contract.md §Channel types): the access token, the app secret
 * and the verify token are sealed; the phone number id and the Graph API base stay readable. There is no activation
 * call: Meta takes a webhook URL only in the app dashboard (WhatsApp → Configuration), where the admin pastes
 * `<public webhook URL>/webhooks/whatsapp/<channel id>` and the verify token; Meta then checks it with a GET handshake.
 */
export const whatsappCloudChannel: ChannelSetup = {
  webhookSegment: 'whatsapp',
  prepare(config) {
    const { phoneNumberId, accessToken, appSecret, verifyToken, graphApiBase, messagesPerSecond } = validate(config);
    return {
      config: {
        phoneNumberId,
        graphApiBase: (graphApiBase ?? DEFAULT_GRAPH_API_BASE).replace(/\/+$/, ''),
        ...(messagesPerSecond !== undefined && { messagesPerSecond }),
      },
      secrets: { accessToken, appSecret, verifyToken },
    };
  },
};
