/**
 * Messenger's and Instagram's messaging windows (developers.facebook.com/docs/messenger-platform/policy/policy-overview,
 * …/send-messages/message-tags): a Page may answer freely for 24 hours after the customer's last message
 * (`messaging_type: "RESPONSE"`); after that, only a human agent may still answer, for 7 days, with the
 * `HUMAN_AGENT` tag. Sapa's agents are human, so their late replies take the tag; Sapa's own messages (nudges,
 * closings) are automated and may not, so outside 24 hours they are refused rather than sent against the policy.
 */

const HOUR_MS = 3_600_000;
export const STANDARD_WINDOW_MS = 24 * HOUR_MS;
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * HOUR_MS;

/** How a message goes out: the Send API's `messaging_type`, and the tag it needs; or why it may not. */
export type MessagingTypeChoice =
  | { messaging_type: 'RESPONSE' }
  | { messaging_type: 'MESSAGE_TAG'; tag: 'HUMAN_AGENT' }
  | { refused: string };

/**
 * The messaging type of a reply written by `authorType`, when the customer last wrote at `lastWroteAt` (null: never
 * in this conversation, e.g. one an agent opened; Meta then judges with what it knows, so the tag is tried).
 */
export function messagingTypeFor(lastWroteAt: Date | null, now: Date, authorType: string): MessagingTypeChoice {
  const silentMs = lastWroteAt ? now.getTime() - lastWroteAt.getTime() : Number.POSITIVE_INFINITY;
  if (silentMs <= STANDARD_WINDOW_MS) return { messaging_type: 'RESPONSE' };
  if (authorType !== 'agent') {
    return { refused: "the customer last wrote more than 24 hours ago; past that Meta lets only a human agent's reply through (HUMAN_AGENT tag), not Sapa's automated messages" };
  }
  if (lastWroteAt && silentMs > HUMAN_AGENT_WINDOW_MS) {
    return { refused: 'the customer last wrote more than 7 days ago; Meta accepts no reply until they write again' };
  }
  return { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' };
}
