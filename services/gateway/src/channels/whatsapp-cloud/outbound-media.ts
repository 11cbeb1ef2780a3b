import { SendFailure } from '../channel-adapter.js';

/** The Cloud API's media message types Sapa sends (developers.facebook.com/docs/whatsapp/cloud-api/reference/media). */
export type WhatsappMediaType = 'image' | 'video' | 'audio' | 'document';

const MB = 1024 * 1024;

/** What each type takes: its MIME types (none listed: any) and its size limit. */
const KINDS: ReadonlyArray<{ type: WhatsappMediaType; contentTypes?: readonly string[]; maxBytes: number }> = [
  { type: 'image', contentTypes: ['image/jpeg', 'image/png'], maxBytes: 5 * MB },
  { type: 'video', contentTypes: ['video/mp4', 'video/3gpp'], maxBytes: 16 * MB },
  { type: 'audio', contentTypes: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'], maxBytes: 16 * MB },
  { type: 'document', maxBytes: 100 * MB },
];

/** Captions (images, videos, documents) take at most 1024 characters; audio takes none. */
export const MAX_CAPTION_CHARS = 1024;

/**
 * How a file goes out: as the type its content type belongs to, or as a document when it is of no media type or too
 * large for its own (a 7 MB photo still reaches the customer, as a file). Over 100 MB nothing takes it.
 */
export function mediaTypeFor(contentType: string, size?: number): WhatsappMediaType {
  const base = contentType.split(';')[0]!.trim().toLowerCase();
  const kind = KINDS.find((k) => k.contentTypes?.includes(base) && (size === undefined || size <= k.maxBytes));
  if (kind) return kind.type;
  if (size !== undefined && size > 100 * MB) {
    throw new SendFailure(`the file is ${size} bytes; WhatsApp takes files of at most 100 MB, so send a link instead`, false);
  }
  return 'document';
}

export function takesCaption(type: WhatsappMediaType): boolean {
  return type !== 'audio';
}

/** The `{type, <type>: {...}}` part of a media message: an uploaded file by id, or a link Meta fetches itself. */
export function mediaMessageBody(
  type: WhatsappMediaType,
  media: { id: string } | { link: string },
  extra: { caption?: string; filename?: string },
): Record<string, unknown> {
  return {
    type,
    [type]: {
      ...media,
      ...(extra.caption !== undefined && takesCaption(type) && { caption: extra.caption }),
      ...(extra.filename !== undefined && type === 'document' && { filename: extra.filename }),
    },
  };
}
