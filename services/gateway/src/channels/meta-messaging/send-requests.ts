import type { Attachment } from '@sapa/contracts';
import type { PageMessagingType } from './credentials.js';

/** Messenger takes up to 2000 characters in a text message; Instagram up to 1000 bytes of UTF-8. */
const FITS: Record<PageMessagingType, { max: number; cost: (codePoint: string) => number }> = {
  messenger: { max: 2000, cost: (c) => c.length },
  instagram: { max: 1000, cost: (c) => Buffer.byteLength(c, 'utf8') },
};

/** The Send API's attachment kinds; anything not an image, a video or audio goes as a file. */
function attachmentTypeOf(contentType: string): 'image' | 'video' | 'audio' | 'file' {
  const kind = contentType.toLowerCase().split('/')[0];
  return kind === 'image' || kind === 'video' || kind === 'audio' ? kind : 'file';
}

/** One message of the Send API, without `recipient` and `messaging_type`, which every one of a reply shares. */
export type SendApiMessage = { text: string } | { attachment: { type: string; payload: { url: string; is_reusable?: boolean } } };

/**
 * The Send API messages that carry one reply, in order (a message is either text or one attachment): its text,
 * split when longer than the channel takes, then each attachment by a link Meta fetches itself. A stored file (`id`)
 * goes as a short-lived signed link to the gateway, never reused by Meta (`is_reusable: false`, a Messenger option);
 * an attachment Sapa does not hold goes by its own URL.
 */
export function sendApiMessagesFor(
  type: PageMessagingType,
  message: { text: string | null; attachments: Attachment[] },
  linkOf: (attachment: Attachment) => string,
): SendApiMessage[] {
  const texts = message.text ? splitText(message.text, FITS[type]) : [];
  return [
    ...texts.map((text): SendApiMessage => ({ text })),
    ...message.attachments.map(
      (a): SendApiMessage => ({
        attachment: { type: attachmentTypeOf(a.contentType), payload: { url: linkOf(a), ...(type === 'messenger' && { is_reusable: false }) } },
      }),
    ),
  ];
}

/** Pieces that each fit, cut between code points (never inside a character made of two UTF-16 units). */
function splitText(text: string, fits: { max: number; cost: (codePoint: string) => number }): string[] {
  const pieces: string[] = [];
  let piece = '';
  let used = 0;
  for (const codePoint of text) {
    const cost = fits.cost(codePoint);
    if (used + cost > fits.max && piece) {
      pieces.push(piece);
      piece = '';
      used = 0;
    }
    piece += codePoint;
    used += cost;
  }
  if (piece) pieces.push(piece);
  return pieces;
}
