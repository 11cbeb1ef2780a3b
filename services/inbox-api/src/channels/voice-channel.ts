import { randomBytes } from 'node:crypto';
import { VoiceChannelConfig } from '@sapa/contracts';
import { InvalidChannelConfig } from '../errors.js';
import type { ChannelSetup } from './channel-setup.js';
import { configValidator } from './validate-config.js';

const validate = configValidator<VoiceChannelConfig>(VoiceChannelConfig);

/**
 * A voice channel (api-contract.md §Channel types): call events from a PBX. Every voice channel takes the signed
 * call-event webhook (`POST /webhooks/voice/{id}`, signed like the api channel with the secret shown once); an
 * `asterisk_ami` channel is also read by the voice service over AMI, with the AMI secret sealed beside the signing
 * secret and only host, port, user (and the recordings' base URL) readable.
 */
export const voiceChannel: ChannelSetup = {
  webhookSegment: 'voice',
  prepare(config) {
    const { provider, ami } = validate(config);
    if (provider === 'asterisk_ami' && !ami) {
      throw InvalidChannelConfig(undefined, { errors: [{ path: '/config/ami', message: 'an asterisk_ami channel needs ami: {host, port, user, secret}' }] });
    }
    const signingSecret = `whsec_${randomBytes(32).toString('base64url')}`;
    if (provider === 'webhook' || !ami) return { config: { provider }, secrets: { signingSecret }, secretShownOnce: signingSecret };
    const { secret, ...readable } = ami;
    return { config: { provider, ami: readable }, secrets: { signingSecret, amiSecret: secret }, secretShownOnce: signingSecret };
  },
};
