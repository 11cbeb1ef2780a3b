import { hashId } from '@sapa/queue';

/**
 * The Redis key recording that a channel's message id was seen (ARCHITECTURE.md §Guarantees): BullMQ forgets
 * job ids after removeOnComplete, so `200 duplicate` is answered from here. The id is hashed: it is outside data.
 */
export function seenKey(prefix: string, channelId: string, externalMessageId: string): string {
  return `${prefix}:seen:${channelId}:${hashId(externalMessageId)}`;
}

/** How long a claim lives while its job is being added; a crash mid-way frees the id after this. */
export const PENDING_TTL_SECONDS = 30;
/** How long a seen id answers `duplicate`: longer than any provider retries (Meta retries for days). */
export const SEEN_TTL_SECONDS = 7 * 24 * 3600;
