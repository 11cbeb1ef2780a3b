import type { Attachment } from '@sapa/contracts';

/** sendMessage takes 1–4096 characters of text (core.telegram.org/bots/api#sendmessage). */
export const MAX_TEXT_CHARS = 4096;

/** A caption takes 0–1024 characters (core.telegram.org/bots/api#sendphoto). */
export const MAX_CAPTION_CHARS = 1024;

export interface BotCall {
  method: 'sendMessage' | 'sendPhoto' | 'sendDocument';
  body: Record<string, unknown>;
  /** A file Sapa holds (@sapa/attachments), uploaded as this field of a multipart form rather than named by URL. */
  upload?: { field: 'photo' | 'document'; attachmentId: string };
}

/**
 * The Bot API calls that carry one reply, in order. With attachments, a text that fits a caption is the first one's
 * caption (one message in the chat, as a person would send it); a longer text goes first with sendMessage (split when
 * longer than it takes). Then each attachment: sendPhoto for JPEG and PNG, sendDocument for anything else; a stored
 * file (`id`) is uploaded, one Sapa does not hold is named by its URL, which Telegram fetches itself. A reply to a
 * particular message (`replyTo`, a message_id of this chat) quotes it on the first call (`reply_parameters`, Bot API
 * 7.0); should the customer have deleted it, Telegram sends the reply plain rather than refusing it.
 */
export function botCallsFor(message: { text: string | null; attachments: Attachment[] }, chatId: number | string, replyTo?: number): BotCall[] {
  const caption = message.text && message.attachments.length > 0 && message.text.length <= MAX_CAPTION_CHARS ? message.text : undefined;
  const texts = message.text && caption === undefined ? splitText(message.text) : [];
  const calls = callsOf(message, chatId, caption, texts);
  const [first] = calls;
  if (first && replyTo !== undefined) first.body = { ...first.body, reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } };
  return calls;
}

function callsOf(message: { attachments: Attachment[] }, chatId: number | string, caption: string | undefined, texts: string[]): BotCall[] {
  return [
    ...texts.map((text): BotCall => ({ method: 'sendMessage', body: { chat_id: chatId, text } })),
    ...message.attachments.map((a, i): BotCall => {
      const field = PHOTO_TYPES.has(a.contentType.toLowerCase()) ? 'photo' : 'document';
      const method = field === 'photo' ? 'sendPhoto' : 'sendDocument';
      const body = { chat_id: chatId, ...(!a.id && { [field]: a.url }), ...(i === 0 && caption !== undefined && { caption }) };
      return a.id ? { method, body, upload: { field, attachmentId: a.id } } : { method, body };
    }),
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
