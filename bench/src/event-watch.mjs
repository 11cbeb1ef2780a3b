import { Redis } from 'ioredis';
import { sequenceOf } from './webhook-requests.mjs';

/**
 * Listens to the router's domain events (Redis pub/sub `${prefix}:events`) and notes, per message of one
 * phase, when its `message.created` arrived and the status its conversation had then. The message text carries
 * the sequence number: the event has no webhook messageId.
 */
export async function watchMessageEvents(redisUrl, prefix, phase) {
  const seen = new Map();
  const subscriber = new Redis(redisUrl);
  const channel = `${prefix}:events`;
  subscriber.on('message', (ch, raw) => {
    if (ch !== channel) return;
    const at = performance.now();
    // Cheap pre-check: most events of other phases are skipped without parsing.
    if (!raw.includes('"message.created"') || !raw.includes(`"${phase} #`)) return;
    const event = JSON.parse(raw);
    const n = event.type === 'message.created' ? sequenceOf(phase, event.data?.text) : undefined;
    if (n !== undefined && !seen.has(n)) seen.set(n, { at, status: event.data?.conversation?.status });
  });
  await subscriber.subscribe(channel);
  return {
    seen,
    async close() {
      await subscriber.quit();
    },
  };
}
