import type { Attachment } from '@sapa/contracts';
import type { MessagingEvent, MessagingMessage } from './webhook-body.js';

/** What a customer's event says to an agent: its words (or a tapped button's title) and its media. */
export interface InboundContent {
  /** The channel's id of what the customer did; the key of deduplication. */
  externalMessageId: string;
  text?: string;
  attachments: Attachment[];
  /** The `mid` of the message this one answers (`reply_to.mid`); a reply to a story has none. */
  replyToExternalId?: string;
}

/**
 * Meta names no content type on a messaging attachment, only its kind; the media worker sniffs the bytes it fetches
 * (@sapa/attachments) and these are only what the agent sees until then.
 */
const CONTENT_TYPE_OF: Record<string, string> = {
  image: 'image/jpeg',
  video: 'video/mp4',
  audio: 'audio/mp4',
  file: 'application/octet-stream',
};

/**
 * The content of one event, or undefined when it carries nothing from the customer: an echo (Sapa's own reply, or
 * one typed in Meta's inbox), a deleted or unsupported message, a read or delivery, or only attachment kinds Sapa
 * does not take (templates, shares, story mentions, stickers without a file). A quick reply's `text` is its title,
 * the words the customer tapped; its `payload` names an option of a menu Sapa does not send, so it is dropped. A reply
 * names the message it answers by `reply_to.mid`. A postback (a tapped button) is its title.
 */
export function contentOf(event: MessagingEvent): InboundContent | undefined {
  if (event.message) return messageContentOf(event.message);
  const title = event.postback?.title;
  if (!event.postback || !title) return undefined;
  // Older postbacks carry no mid; the customer and the moment of the tap name it then, the same on redelivery.
  return { externalMessageId: event.postback.mid ?? `postback:${event.sender.id}:${event.timestamp ?? 0}`, text: title, attachments: [] };
}

function messageContentOf(message: MessagingMessage): InboundContent | undefined {
  if (message.is_echo || message.is_deleted || message.is_unsupported) return undefined;
  const attachments = (message.attachments ?? []).flatMap((a): Attachment[] => {
    const contentType = CONTENT_TYPE_OF[a.type];
    const url = a.payload?.url;
    return contentType && url && URL.canParse(url) ? [{ url, contentType }] : [];
  });
  const text = message.text || undefined;
  if (text === undefined && attachments.length === 0) return undefined;
  const replyTo = message.reply_to?.mid;
  return { externalMessageId: message.mid, ...(text !== undefined && { text }), attachments, ...(replyTo && { replyToExternalId: replyTo }) };
}
