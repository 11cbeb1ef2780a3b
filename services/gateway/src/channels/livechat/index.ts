import type { ChannelAdapter } from '../channel-adapter.js';
import { sendLivechatMessage } from './send.js';

/**
 * The live chat (api-contract.md §Channel types): no webhook, the visitor talks over the gateway's own socket
 * (`src/livechat/`); replies go out on `outbound.livechat` to whichever replica holds that socket.
 */
export const livechatChannel: ChannelAdapter = {
  type: 'livechat',
  outbound: { send: sendLivechatMessage },
};
