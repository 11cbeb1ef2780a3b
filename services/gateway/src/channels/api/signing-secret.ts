import type { OpenedChannel } from '../channel-adapter.js';

/** The channel's signing secret; an api channel stores it sealed as `{signingSecret}`. */
export function signingSecretOf(channel: OpenedChannel): string {
  const secret = channel.secrets.signingSecret;
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new Error(`api channel ${channel.row.id} has no signing secret; recreate the channel`);
  }
  return secret;
}
