import { randomBytes } from 'node:crypto';
import { ApiChannelConfig } from '@sapa/contracts';
import type { ChannelSetup } from './channel-setup.js';
import { configValidator } from './validate-config.js';

const validate = configValidator<ApiChannelConfig>(ApiChannelConfig);

/** The generic API channel (api-contract.md §Generic API channel): a callback URL, and a signing secret Sapa makes. */
export const apiChannel: ChannelSetup = {
  webhookSegment: 'api',
  prepare(config) {
    const { callbackUrl } = validate(config);
    const signingSecret = `whsec_${randomBytes(32).toString('base64url')}`;
    return { config: { callbackUrl }, secrets: { signingSecret }, secretShownOnce: signingSecret };
  },
};
