import { DEFAULT_PRE_CHAT_FORM, LivechatChannelConfig } from '@sapa/contracts';
import { InvalidChannelConfig } from '../errors.js';
import type { ChannelSetup } from './channel-setup.js';
import { configValidator } from './validate-config.js';

const validate = configValidator<LivechatChannelConfig>(LivechatChannelConfig);

/**
 * The live chat (api-contract.md §Channel types): `allowedOrigins` are the websites that may embed the widget
 * (`<script src="<gateway>/livechat/widget.js" data-channel="<id>">`), kept as browsers write an Origin (lower case,
 * no default port); `preChatForm` what a visitor fills in first (default: name, then phone or email). No secrets.
 */
export const livechatChannel: ChannelSetup = {
  prepare(config) {
    const { allowedOrigins, preChatForm } = validate(config);
    const origins = allowedOrigins.map((o, i) => {
      const origin = new URL(o).origin;
      if (origin === 'null') throw InvalidChannelConfig(undefined, { errors: [{ path: `/config/allowedOrigins/${i}`, message: 'must be an http(s) origin' }] });
      return origin;
    });
    const keys = (preChatForm ?? DEFAULT_PRE_CHAT_FORM).fields.map((f) => f.key);
    if (new Set(keys).size !== keys.length) {
      throw InvalidChannelConfig(undefined, { errors: [{ path: '/config/preChatForm/fields', message: 'each field (name, phone, email) may appear once' }] });
    }
    return { config: { allowedOrigins: [...new Set(origins)], preChatForm: preChatForm ?? DEFAULT_PRE_CHAT_FORM }, secrets: null };
  },
};
