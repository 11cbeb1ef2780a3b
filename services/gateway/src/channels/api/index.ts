import type { ChannelAdapter } from '../channel-adapter.js';
import { verifyApiWebhook } from './verify.js';
import { parseApiWebhook } from './parse.js';
import { sendApiCallback } from './send.js';
import { apiMediaFetcher } from './media.js';

/** The generic API channel (api-contract.md §Generic API channel). */
export const apiChannel: ChannelAdapter = {
  type: 'api',
  inbound: { segment: 'api', verify: verifyApiWebhook, parse: parseApiWebhook },
  outbound: { send: sendApiCallback },
  media: apiMediaFetcher,
};
