import type { ChannelAdapter } from '../channel-adapter.js';
import { telegramMediaFetcher } from './media.js';
import { parseTelegramUpdate } from './parse.js';
import { sendTelegramMessage } from './send.js';
import { verifyTelegramWebhook } from './verify.js';

/** A Telegram bot (api-contract.md §Channel types): updates by webhook, replies through the Bot API. */
export const telegramChannel: ChannelAdapter = {
  type: 'telegram',
  inbound: { segment: 'telegram', verify: verifyTelegramWebhook, parse: parseTelegramUpdate },
  outbound: { send: sendTelegramMessage },
  media: telegramMediaFetcher,
};
