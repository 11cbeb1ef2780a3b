import type { SecretBox } from '@sapa/db';
import type { Db } from '@sapa/db/queries/db-handle';
import { findChannelForWebhook } from '@sapa/db/queries/channels';
import type { OpenedChannel } from '../channels/channel-adapter.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_CACHED = 10_000;

export type ChannelLookup = (channelId: string) => Promise<OpenedChannel | undefined>;

/**
 * Finds a webhook's channel by the id in its URL, secrets opened. Found channels are kept `ttlMs` so a busy
 * channel costs neither a query nor a decryption per request; a disabled or rotated channel takes effect within it.
 * Misses are not kept: a channel created a moment ago must work at once.
 */
export function createChannelLookup(db: Db, secretBox: SecretBox, ttlMs: number): ChannelLookup {
  const cache = new Map<string, { channel: OpenedChannel; until: number }>();
  return async (channelId) => {
    if (!UUID.test(channelId)) return undefined;
    const cached = cache.get(channelId);
    if (cached && cached.until > Date.now()) return cached.channel;
    const row = await findChannelForWebhook(db, channelId);
    if (!row) return undefined;
    const channel: OpenedChannel = { row, secrets: row.secrets_enc ? secretBox.open<Record<string, unknown>>(row.secrets_enc) : {} };
    if (ttlMs > 0) {
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(channelId, { channel, until: Date.now() + ttlMs });
    }
    return channel;
  };
}
