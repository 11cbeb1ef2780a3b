import type { ChannelAdapter } from '../channel-adapter.js';
import { verifyApiWebhook } from '../api/verify.js';
import { callEventJobs } from './call-events.js';

/**
 * A voice channel (api-contract.md §Channel types): a PBX posts call events (`ringing`, `answered`, `ended`,
 * `missed`) of customers' calls and, with `direction: outbound`, of calls agents place, to
 * `POST /webhooks/voice/{channelId}`, signed like the api channel with the channel's signing secret.
 * They carry no customer message: each goes to queue `voice.events`, where the voice service (services/voice) turns
 * it into the call's conversation. An `asterisk_ami` channel's events come from the voice service's AMI reader too.
 */
export const voiceChannel: ChannelAdapter = {
  type: 'voice',
  inbound: {
    segment: 'voice',
    verify: verifyApiWebhook,
    // Never called (`jobs` is present): a call event is not a customer message.
    parse: () => [],
    jobs: callEventJobs,
  },
};
