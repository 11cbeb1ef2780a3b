import type { Attachment } from '@sapa/contracts';
import type { WhatsappMessage } from './webhook-body.js';

/** What a customer's message says to an agent: its words (or a caption, a place, a choice) and its media. */
export interface InboundContent {
  text?: string;
  attachments: Attachment[];
}

const MEDIA_TYPES = ['image', 'document', 'audio', 'video'] as const;

const DEFAULT_CONTENT_TYPE: Record<(typeof MEDIA_TYPES)[number], string> = {
  image: 'image/jpeg',
  document: 'application/octet-stream',
  audio: 'audio/ogg',
  video: 'video/mp4',
};

/**
 * The content of one message, or undefined for types Sapa does not take (stickers, reactions, contacts cards,
 * system notices, `unsupported`). Media stays with Meta for now: the url is `whatsapp-media:<media id>`, which
 * `GET /{media id}` turns into a download link when someone needs the bytes (media.ts, run by the media worker). A voice note is
 * an `audio` message. A location is a `geo:` URI, as on Telegram. A tapped button or list row gives its title, the
 * words the customer saw; its id names an option of an interactive message Sapa does not send yet, so it is dropped.
 */
export function contentOf(message: WhatsappMessage): InboundContent | undefined {
  switch (message.type) {
    case 'text':
      return message.text ? { text: message.text.body, attachments: [] } : undefined;
    case 'location':
      return message.location ? { text: `geo:${message.location.latitude},${message.location.longitude}`, attachments: [] } : undefined;
    case 'interactive': {
      const reply = message.interactive?.button_reply ?? message.interactive?.list_reply;
      return reply ? { text: reply.title, attachments: [] } : undefined;
    }
    case 'button':
      return message.button ? { text: message.button.text, attachments: [] } : undefined;
    default:
      return mediaContentOf(message);
  }
}

function mediaContentOf(message: WhatsappMessage): InboundContent | undefined {
  const type = MEDIA_TYPES.find((t) => t === message.type);
  const media = type && message[type];
  if (!type || !media) return undefined;
  const attachment: Attachment = {
    url: `whatsapp-media:${media.id}`,
    contentType: media.mime_type ?? DEFAULT_CONTENT_TYPE[type],
    ...(media.filename !== undefined && { filename: media.filename }),
  };
  return { ...(media.caption !== undefined && { text: media.caption }), attachments: [attachment] };
}
