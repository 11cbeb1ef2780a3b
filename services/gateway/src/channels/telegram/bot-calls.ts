import type { Attachment } from '@sapa/contracts';

/** sendMessage takes 1–4096 characters of text (core.telegram.org/bots/api#sendmessage). */
export const MAX_TEXT_CHARS = 4096;

export interface BotCall {
  method: 'sendMessage' | 'sendPhoto' | 'sendDocument';
  body: Record<string, unknown>;
}

/**
 * The Bot API calls that carry one reply, in order: its text (split when longer than sendMessage takes), then each
 * attachment by URL, which Telegram fetches itself — sendPhoto for JPEG and PNG, sendDocument for anything else.
 */
export function botCallsFor(message: { text: string | null; attachments: Attachment[] }, chatId: number | string): BotCall[] {
  const texts = message.text ? splitText(message.text) : [];
  return [
    ...texts.map((text): BotCall => ({ method: 'sendMessage', body: { chat_id: chatId, text } })),
    ...message.attachments.map(
      (a): BotCall =>
        PHOTO_TYPES.has(a.contentType.toLowerCase())
          ? { method: 'sendPhoto', body: { chat_id: chatId, photo: a.url } }
          : { method: 'sendDocument', body: { chat_id: chatId, document: a.url } },
    ),
  ];
}

/** A chat id as the Bot API types it: an integer (ids fit in 52 bits), or an `@username` string. */
export function chatIdOf(externalId: string): number | string {
  const id = Number(externalId);
  return /^-?\d+$/.test(externalId) && Number.isSafeInteger(id) ? id : externalId;
}

const PHOTO_TYPES = new Set(['image/jpeg', 'image/jpg', 'image/png']);

/** Pieces of at most MAX_TEXT_CHARS UTF-16 units, never cutting a character made of two. */
function splitText(text: string): string[] {
  const pieces: string[] = [];
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + MAX_TEXT_CHARS, text.length);
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}
