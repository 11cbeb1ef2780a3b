import type { Attachment } from '@sapa/contracts';
import type { TelegramMessage } from './update.js';

/**
 * What a message carries besides text, as attachments. The file itself stays with Telegram for now: the url is
 * `telegram-file:<file_id>`, which getFile turns into a download link (valid one hour) when someone needs the bytes.
 * Telegram re-encodes photos as JPEG; the others say their own type, or get the one Telegram sends them in.
 */
export function attachmentsOf(message: TelegramMessage): Attachment[] {
  const { photo, document, audio, video, voice, video_note: videoNote } = message;
  const largestPhoto = photo?.at(-1);
  return [
    ...(largestPhoto ? [fileAttachment(largestPhoto.file_id, 'image/jpeg')] : []),
    ...(document ? [fileAttachment(document.file_id, document.mime_type ?? 'application/octet-stream', document.file_name)] : []),
    ...(audio ? [fileAttachment(audio.file_id, audio.mime_type ?? 'audio/mpeg', audio.file_name)] : []),
    ...(video ? [fileAttachment(video.file_id, video.mime_type ?? 'video/mp4', video.file_name)] : []),
    ...(voice ? [fileAttachment(voice.file_id, voice.mime_type ?? 'audio/ogg')] : []),
    ...(videoNote ? [fileAttachment(videoNote.file_id, 'video/mp4')] : []),
  ];
}

/** A shared location as a `geo:` URI (RFC 5870): a place, not words, so no template is needed to say it. */
export function locationTextOf(message: TelegramMessage): string | undefined {
  return message.location ? `geo:${message.location.latitude},${message.location.longitude}` : undefined;
}

function fileAttachment(fileId: string, contentType: string, filename?: string): Attachment {
  return { url: `telegram-file:${fileId}`, contentType, ...(filename !== undefined && { filename }) };
}
