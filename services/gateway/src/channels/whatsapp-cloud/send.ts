import type { DeliveryToSend } from '@sapa/db/queries/deliveries';
import { SendFailure, type OpenedChannel, type SendOptions, type SendResult } from '../channel-adapter.js';
import { postToGraph } from '../meta/graph-api.js';
import { sendParts } from '../send-parts.js';
import { whatsappSenderOf, type WhatsappSender } from './credentials.js';
import { MAX_CAPTION_CHARS, mediaMessageBody, mediaTypeFor, takesCaption } from './outbound-media.js';
import { templatePayload } from './template-payload.js';
import { messagesPerSecondOf, throughputKeyOf } from './throughput.js';
import { uploadStoredFile } from './upload-media.js';

/** A text message's body takes at most 4096 characters. */
export const MAX_TEXT_CHARS = 4096;

type MessageBody = Record<string, unknown>;

/**
 * Sends one reply through `POST {graphApiBase}/{phoneNumberId}/messages` and returns the `wamid` of its last message,
 * which the status webhooks (delivered, read) name — read at the last means read throughout: a template (the only
 * kind WhatsApp delivers outside the 24-hour window), a text, or one message per file with the text as the first
 * file's caption. Each message waits its turn in the number's throughput (throughput.ts). A reply of several messages
 * that fails halfway resumes after those Meta took (send-parts.ts); a message is sent twice only if Meta took it and
 * its answer was lost. A reply to a particular message quotes it on its first message (`context.message_id`, the
 * quoted one's wamid); one that never had a wamid (never sent) is answered plain.
 */
export async function sendWhatsappMessage(toSend: DeliveryToSend, channel: OpenedChannel, options: SendOptions): Promise<SendResult> {
  if (!toSend.recipientExternalId) throw new SendFailure('the contact has no identity on this channel', false);
  const sender = whatsappSenderOf(channel);
  const bodies = quoting(await messageBodiesOf(toSend, sender, options), toSend.replyTo?.externalId ?? null);
  const perSecond = messagesPerSecondOf(channel);
  const to = toSend.recipientExternalId;
  const last = (await sendParts(bodies, options.progress, async (body) => {
    await options.throttle?.take(throughputKeyOf(sender.phoneNumberId), perSecond, options.timeoutMs);
    return postToGraph(sender.account, `${sender.phoneNumberId}/messages`, { messaging_product: 'whatsapp', recipient_type: 'individual', to, ...body }, options.timeoutMs);
  })) as { messages?: Array<{ id?: unknown }> } | undefined;
  const wamid = last?.messages?.[0]?.id;
  return typeof wamid === 'string' ? { externalId: wamid } : {};
}

async function messageBodiesOf(toSend: DeliveryToSend, sender: WhatsappSender, options: SendOptions): Promise<MessageBody[]> {
  if (toSend.template) return [{ type: 'template', template: templatePayload(toSend.template) }];
  const { text, attachments } = toSend.message;
  if (attachments.length === 0) {
    if (!text) throw new SendFailure('the message has no text; nothing to send', false);
    return [textBody(text)];
  }
  const media: MessageBody[] = [];
  for (const attachment of attachments) {
    if (attachment.id) {
      const uploaded = await uploadStoredFile(sender, options.attachments, attachment.id, options.timeoutMs);
      media.push(mediaMessageBody(uploaded.type, { id: uploaded.id }, { ...(uploaded.filename !== undefined && { filename: uploaded.filename }) }));
    } else {
      // A file Sapa does not hold: Meta fetches the link itself.
      const type = mediaTypeFor(attachment.contentType, attachment.size);
      media.push(mediaMessageBody(type, { link: attachment.url }, { ...(attachment.filename !== undefined && { filename: attachment.filename }) }));
    }
  }
  if (!text) return media;
  const [head, ...rest] = media as [MessageBody, ...MessageBody[]];
  const headType = head.type as Parameters<typeof takesCaption>[0];
  if (takesCaption(headType) && text.length <= MAX_CAPTION_CHARS) {
    return [{ ...head, [headType]: { ...(head[headType] as object), caption: text } }, ...rest];
  }
  // Audio takes no caption, and a long text is no caption: the words go first, on their own.
  return [textBody(text), ...media];
}

/** The first message of a reply carries the quote: WhatsApp shows the quoted message above it, in a bubble. */
function quoting(bodies: MessageBody[], quotedWamid: string | null): MessageBody[] {
  if (!quotedWamid) return bodies;
  const [first, ...rest] = bodies;
  return first ? [{ context: { message_id: quotedWamid }, ...first }, ...rest] : bodies;
}

function textBody(text: string): MessageBody {
  if (text.length > MAX_TEXT_CHARS) throw new SendFailure(`WhatsApp takes at most ${MAX_TEXT_CHARS} characters in a message; shorten the reply`, false);
  return { type: 'text', text: { body: text } };
}
