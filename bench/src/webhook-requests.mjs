import { signPayload } from '@sapa/contracts';

/**
 * Messages shaped like real traffic: contacts arrive steadily over the run (one new contact every
 * `messagesPerContact` messages) and each writes about `messagesPerContact` messages, so most messages join an
 * open conversation and new conversations keep needing an agent. Ids are the phase name and a sequence number,
 * so every request is unique and can be found again in Postgres.
 */
export function createWebhookSource({ phase, channelId, signingSecret, messagesPerContact }) {
  let seq = 0;
  const sentAt = new Map();
  return {
    path: `/webhooks/api/${channelId}`,
    /** When each message was written to the socket (performance.now()), by sequence number. */
    sentAt,
    get sent() {
      return seq;
    },
    /** Builds the next message: unique messageId and text token, signed over the exact body sent. */
    next() {
      const n = seq++;
      const newest = Math.floor(n / messagesPerContact);
      const contact = n % messagesPerContact === 0 ? newest : Math.floor(Math.random() * (newest + 1));
      const body = JSON.stringify({
        messageId: `${phase}-m${n}`,
        from: { id: `${phase}-c${contact}`, name: `Contact ${contact}` },
        text: `${phase} #${n}`,
      });
      const ts = Math.floor(Date.now() / 1000);
      sentAt.set(n, performance.now());
      return {
        body,
        headers: {
          'content-type': 'application/json',
          'x-sapa-timestamp': String(ts),
          'x-sapa-signature': signPayload(signingSecret, ts, body),
        },
      };
    },
  };
}

/** The sequence number a message's text carries (see `next()`), or undefined for someone else's message. */
export function sequenceOf(phase, text) {
  if (typeof text !== 'string' || !text.startsWith(`${phase} #`)) return undefined;
  const n = Number(text.slice(phase.length + 2));
  return Number.isInteger(n) ? n : undefined;
}
