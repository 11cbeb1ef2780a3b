import { DEFAULT_TELEGRAM_API_BASE } from '@sapa/contracts';
import type { OpenedChannel } from '../channel-adapter.js';

/** Where and as whom a channel's Bot API calls go. */
export interface TelegramBot {
  apiBase: string;
  botToken: string;
}

/** The bot of a telegram channel: `apiBase` from its config, `botToken` from its sealed secrets. */
export function telegramBotOf(channel: OpenedChannel): TelegramBot {
  const apiBase = channel.row.config.apiBase;
  return { apiBase: typeof apiBase === 'string' ? apiBase : DEFAULT_TELEGRAM_API_BASE, botToken: sealed(channel, 'botToken') };
}

/** The token Telegram echoes in `X-Telegram-Bot-Api-Secret-Token`, set by the inbox API with setWebhook. */
export function secretTokenOf(channel: OpenedChannel): string {
  return sealed(channel, 'secretToken');
}

function sealed(channel: OpenedChannel, name: 'botToken' | 'secretToken'): string {
  const value = channel.secrets[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(`telegram channel ${channel.row.id} has no ${name}; recreate the channel`);
  }
  return value;
}
