import type { SendProgress } from './channel-adapter.js';

/**
 * Makes the calls of one reply in order (a text, then each file), skipping those an earlier attempt of the delivery
 * already made and recording each one the channel takes. The channels' APIs have no idempotency key, so without
 * this a reply that failed at its second file would send its text again on the retry. Answers the last call's result
 * (undefined when every call had been made before).
 */
export async function sendParts<P, R>(parts: readonly P[], progress: SendProgress | undefined, sendOne: (part: P) => Promise<R>): Promise<R | undefined> {
  let last: R | undefined;
  for (let index = progress?.done ?? 0; index < parts.length; index++) {
    last = await sendOne(parts[index]!);
    // A reply of one call is done when the delivery is marked sent; only a longer one has a place to resume from.
    if (parts.length > 1) await progress?.record(index + 1);
  }
  return last;
}
