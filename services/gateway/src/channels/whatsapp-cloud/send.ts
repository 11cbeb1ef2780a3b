import type { DeliveryToSend } from '@sapa/db/queries/deliveries';
import { SendFailure, type OpenedChannel, type SendOptions, type SendResult } from '../channel-adapter.js';
import { postToGraph } from '../meta/graph-api.js';
import { whatsappSenderOf } from './credentials.js';

/** A text message's body takes at most 4096 characters. */
export const MAX_TEXT_CHARS = 4096;

/**
 * Sends one reply as a text message, `POST {graphApiBase}/{phoneNumberId}/messages`, and returns the `wamid` Meta
 * gave it, which the status webhooks (delivered, read) name. One call, so a retry never sends a reply twice unless
 * Meta took it and its answer was lost. Attachments and the templates needed outside the 24-hour window come next.
 */
export async function sendWhatsappMessage(toSend: DeliveryToSend, channel: OpenedChannel, options: SendOptions): Promise<SendResult> {
  if (!toSend.recipientExternalId) throw new SendFailure('the contact has no identity on this channel', false);
  const { text, attachments } = toSend.message;
  if (attachments.length > 0) throw new SendFailure('sending attachments on WhatsApp is not supported yet; send the text alone', false);
  if (!text) throw new SendFailure('the message has no text; nothing to send', false);
  if (text.length > MAX_TEXT_CHARS) throw new SendFailure(`WhatsApp takes at most ${MAX_TEXT_CHARS} characters in a message; shorten the reply`, false);

  const sender = whatsappSenderOf(channel);
  const answer = (await postToGraph(
    sender.account,
    `${sender.phoneNumberId}/messages`,
    { messaging_product: 'whatsapp', recipient_type: 'individual', to: toSend.recipientExternalId, type: 'text', text: { body: text } },
    options.timeoutMs,
  )) as { messages?: Array<{ id?: unknown }> };
  const wamid = answer.messages?.[0]?.id;
  return typeof wamid === 'string' ? { externalId: wamid } : {};
}
