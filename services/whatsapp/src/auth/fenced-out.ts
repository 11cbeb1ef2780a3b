/**
 * A write or send refused because another replica now holds the number (a higher fencing token wrote first). The
 * session that meets it stops at once: whatever it still had in memory is older than what the new holder has.
 */
export class FencedOut extends Error {
  constructor(readonly channelId: string, readonly fence: number) {
    super(`the lease of channel ${channelId} moved to another replica (token ${fence} is stale)`);
    this.name = 'FencedOut';
  }
}
