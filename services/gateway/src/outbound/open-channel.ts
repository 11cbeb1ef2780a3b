import type { Channel, SecretBox } from '@sapa/db';
import type { OpenedChannel } from '../channels/channel-adapter.js';

/** A channel row with its sealed secrets opened for one send. */
export function openChannel(row: Channel, secretBox: SecretBox): OpenedChannel {
  return { row, secrets: row.secrets_enc ? secretBox.open<Record<string, unknown>>(row.secrets_enc) : {} };
}
