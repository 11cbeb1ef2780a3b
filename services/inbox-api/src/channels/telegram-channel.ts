import { randomBytes } from 'node:crypto';
import { DEFAULT_TELEGRAM_API_BASE, TelegramChannelConfig } from '@sapa/contracts';
import { webhookUrlOf, type ChannelSetup } from './channel-setup.js';
import { setTelegramWebhook } from './set-telegram-webhook.js';
import { configValidator } from './validate-config.js';

const validate = configValidator<TelegramChannelConfig>(TelegramChannelConfig);

/**
 * A Telegram bot (api-contract.md §Channel types): the bot token and the webhook's secret token are sealed; only the
 * API base stays readable. Creating the channel sets the bot's webhook to the gateway.
 */
export const telegramChannel: ChannelSetup = {
  webhookSegment: 'telegram',
  prepare(config) {
    const { botToken, secretToken, apiBase } = validate(config);
    return {
      config: { apiBase: (apiBase ?? DEFAULT_TELEGRAM_API_BASE).replace(/\/+$/, '') },
      // 32 random bytes in base64url: 43 characters, all of them ones setWebhook allows in a secret_token.
      secrets: { botToken, secretToken: secretToken ?? randomBytes(32).toString('base64url') },
    };
  },
  async activate(channel, context) {
    const secrets = channel.secrets as { botToken: string; secretToken: string };
    await setTelegramWebhook(
      {
        apiBase: channel.config.apiBase as string,
        botToken: secrets.botToken,
        url: webhookUrlOf(telegramChannel, channel.id, context.publicWebhookUrl)!,
        secretToken: secrets.secretToken,
      },
      context.timeoutMs,
    );
  },
};
