import {
  getContentType,
  isJidBroadcast,
  isJidGroup,
  isJidNewsletter,
  isJidStatusBroadcast,
  isLidUser,
  isPnUser,
  jidDecode,
  normalizeMessageContent,
  type WAMessage,
  type proto,
} from '@whiskeysockets/baileys';

/** A file the message carries, still on WhatsApp's servers: downloaded and stored by accept-messages.ts. */
export interface MediaRef {
  kind: 'image' | 'video' | 'audio' | 'voice' | 'document' | 'sticker';
  /** The sender's declared type, without parameters (`audio/ogg; codecs=opus` → `audio/ogg`). */
  contentType: string;
  filename?: string;
}

/** A customer's message, read off Baileys' WAMessage, before its media is fetched. */
export interface WhatsappInbound {
  externalMessageId: string;
  from: { externalId: string; name?: string; phone?: string };
  text?: string;
  media?: MediaRef;
  sentAt?: string;
  /** The id (`key.id`) of the message this one answers: the quote's `contextInfo.stanzaId`. */
  replyToExternalId?: string;
}

export type Normalised =
  | { kind: 'message'; message: WhatsappInbound }
  /** Not a customer's words to Sapa: our own sends, groups, status updates, reactions, protocol messages. */
  | { kind: 'skip'; reason: string }
  /** A customer message of a kind Sapa cannot show: kept in the quarantine, never dropped silently. */
  | { kind: 'unsupported'; reason: string };

/** Content types that carry nothing for an agent: signalling, reactions, edits of keys, poll votes. */
const IGNORED = new Set<string>([
  'protocolMessage',
  'reactionMessage',
  'senderKeyDistributionMessage',
  'messageContextInfo',
  'pollUpdateMessage',
  'keepInChatMessage',
  'pinInChatMessage',
  'encReactionMessage',
  'callLogMesssage',
]);

/**
 * One WAMessage of a `messages.upsert` → the customer message it is, or why it is none. Sapa talks to customers one
 * to one, so groups, broadcasts, status updates and newsletters are skipped, like the Telegram channel skips groups.
 */
export function normaliseMessage(msg: WAMessage): Normalised {
  const { key } = msg;
  if (!key.id || !key.remoteJid) return { kind: 'skip', reason: 'no_key' };
  if (key.fromMe) return { kind: 'skip', reason: 'from_me' };
  const jid = key.remoteJid;
  if (isJidGroup(jid) || isJidStatusBroadcast(jid) || isJidBroadcast(jid) || isJidNewsletter(jid)) return { kind: 'skip', reason: 'not_one_to_one' };
  const content = normalizeMessageContent(msg.message);
  // A stub (decryption pending, a call log) has no content; Baileys sends the real message again once it can.
  if (!content) return { kind: 'skip', reason: 'no_content' };
  const type = getContentType(content);
  if (!type || IGNORED.has(type)) return { kind: 'skip', reason: `ignored_${type ?? 'empty'}` };

  const body = bodyOf(content, type);
  if (!body) return { kind: 'unsupported', reason: `unsupported_${type}` };
  const context = contextInfoOf(content, type);
  // The quoted words stay in the text even when Sapa links the quoted message: older agent clients show only text.
  const quoted = quotePrefix(context);
  const text = [quoted, body.text].filter((part): part is string => Boolean(part)).join('\n\n') || undefined;
  const sentAt = timestampOf(msg.messageTimestamp);
  const replyTo = context?.quotedMessage ? context.stanzaId : undefined;
  return {
    kind: 'message',
    message: {
      externalMessageId: key.id,
      from: senderOf(key, msg.pushName),
      ...(text !== undefined && { text }),
      ...(body.media && { media: body.media }),
      ...(sentAt && { sentAt }),
      ...(replyTo && { replyToExternalId: replyTo }),
    },
  };
}

function bodyOf(content: proto.IMessage, type: keyof proto.IMessage): { text?: string; media?: MediaRef } | undefined {
  switch (type) {
    case 'conversation':
      return { text: content.conversation ?? '' };
    case 'extendedTextMessage':
      return { text: content.extendedTextMessage?.text ?? '' };
    case 'imageMessage':
      return withCaption(content.imageMessage?.caption, { kind: 'image', contentType: baseType(content.imageMessage?.mimetype, 'image/jpeg') });
    case 'videoMessage':
      return withCaption(content.videoMessage?.caption, { kind: 'video', contentType: baseType(content.videoMessage?.mimetype, 'video/mp4') });
    case 'audioMessage':
      return {
        media: { kind: content.audioMessage?.ptt ? 'voice' : 'audio', contentType: baseType(content.audioMessage?.mimetype, 'audio/ogg') },
      };
    case 'documentMessage': {
      const doc = content.documentMessage;
      const filename = doc?.fileName ?? undefined;
      return withCaption(doc?.caption, {
        kind: 'document',
        contentType: baseType(doc?.mimetype, 'application/octet-stream'),
        ...(filename && { filename }),
      });
    }
    case 'stickerMessage':
      return { media: { kind: 'sticker', contentType: baseType(content.stickerMessage?.mimetype, 'image/webp') } };
    case 'locationMessage':
    case 'liveLocationMessage': {
      const place = content.locationMessage ?? content.liveLocationMessage;
      if (place?.degreesLatitude == null || place.degreesLongitude == null) return undefined;
      const named = content.locationMessage ? [content.locationMessage.name, content.locationMessage.address] : [];
      // A `geo:` URI (RFC 5870), as the Telegram channel writes locations; the place's own name and address follow.
      return { text: [`geo:${place.degreesLatitude},${place.degreesLongitude}`, ...named].filter(Boolean).join('\n') };
    }
    case 'contactMessage':
      return content.contactMessage?.vcard ? { text: content.contactMessage.vcard } : undefined;
    default:
      return undefined;
  }
}

function withCaption(caption: string | null | undefined, media: MediaRef): { text?: string; media: MediaRef } {
  return caption ? { text: caption, media } : { media };
}

function baseType(mimetype: string | null | undefined, fallback: string): string {
  return mimetype?.split(';')[0]?.trim().toLowerCase() || fallback;
}

function contextInfoOf(content: proto.IMessage, type: keyof proto.IMessage): proto.IContextInfo | undefined {
  const inner = content[type] as { contextInfo?: proto.IContextInfo | null } | string | null | undefined;
  return typeof inner === 'object' && inner ? (inner.contextInfo ?? undefined) : undefined;
}

/** Marks for a quoted message without words: a picture says more here than a word in one of two languages. */
const QUOTED_MARK: Partial<Record<keyof proto.IMessage, string>> = {
  imageMessage: '📷',
  videoMessage: '🎬',
  audioMessage: '🎤',
  documentMessage: '📄',
  stickerMessage: '🖼️',
  locationMessage: '📍',
  contactMessage: '👤',
};

/**
 * A reply to an earlier message starts with the quoted words, `> ` per line as mail does, so the agent sees what
 * the customer answers; at most 300 characters of them.
 */
function quotePrefix(context: proto.IContextInfo | undefined): string | undefined {
  if (!context?.stanzaId || !context.quotedMessage) return undefined;
  const quoted = normalizeMessageContent(context.quotedMessage);
  const type = quoted ? getContentType(quoted) : undefined;
  if (!quoted || !type) return undefined;
  const words = bodyOf(quoted, type)?.text;
  const shown = words ? (words.length > 300 ? `${words.slice(0, 299)}…` : words) : QUOTED_MARK[type];
  return shown ? shown.split('\n').map((line) => `> ${line}`).join('\n') : undefined;
}

/**
 * The customer as Sapa knows them on this number: their phone-number JID when WhatsApp gives one (stable, and what a
 * reply is addressed to), else their LID; `phone` in E.164 when known. pushName is the name they chose in WhatsApp.
 */
function senderOf(key: WAMessage['key'], pushName: string | null | undefined): WhatsappInbound['from'] {
  const candidates = [key.remoteJid, key.remoteJidAlt].filter((j): j is string => Boolean(j));
  const pn = candidates.find((j) => isPnUser(j));
  const externalId = pn ?? candidates.find((j) => isLidUser(j)) ?? candidates[0]!;
  const user = pn ? jidDecode(pn)?.user : undefined;
  return { externalId, ...(pushName && { name: pushName }), ...(user && { phone: `+${user}` }) };
}

function timestampOf(value: WAMessage['messageTimestamp']): string | undefined {
  if (value === null || value === undefined) return undefined;
  const seconds = typeof value === 'number' ? value : Number(value.toString());
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000).toISOString() : undefined;
}
