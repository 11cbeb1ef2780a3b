import type { ChannelType } from '@sapa/contracts';
import { defineError } from '@sapa/service-kit';

export const AttachmentTooLarge = defineError('attachment_too_large', 413, 'the attachment is larger than this channel allows');
export const AttachmentTypeRefused = defineError('attachment_type_refused', 415, 'this kind of file is not accepted');

const MIB = 1024 * 1024;

/**
 * The largest file each channel carries, as the providers document it (WhatsApp: 100 MB documents, 16 MB other
 * media; Telegram bots download up to 20 MB; Messenger and Instagram 25 MB; mail servers commonly 25 MB), and what
 * Sapa takes for its own uploads (live chat visitors, agents).
 */
export const MAX_ATTACHMENT_BYTES: Record<ChannelType | 'upload', number> = {
  api: 25 * MIB,
  whatsapp_cloud: 100 * MIB,
  whatsapp_baileys: 100 * MIB,
  messenger: 25 * MIB,
  instagram: 25 * MIB,
  telegram: 20 * MIB,
  email: 25 * MIB,
  livechat: 10 * MIB,
  voice: 100 * MIB,
  upload: 25 * MIB,
};

/** Kinds of file a contact center takes: pictures, sound, video, documents, archives of documents. */
const ALLOWED_PREFIXES = ['image/', 'audio/', 'video/', 'text/'];
const ALLOWED_TYPES = new Set([
  'application/pdf',
  'application/zip',
  'application/json',
  'application/rtf',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/x-cfb',
  'application/octet-stream',
  'message/rfc822',
]);
/** Never taken, whatever the channel: they run when opened, and agents open attachments. */
const REFUSED_TYPES = new Set(['application/x-msdownload', 'application/x-elf', 'application/x-mach-binary', 'application/x-sh', 'text/html', 'image/svg+xml', 'application/x-msi']);

/** Throws unless a file of this (sniffed) type and size may travel on this channel. */
export function checkAttachment(channel: ChannelType | 'upload', contentType: string, size: number): void {
  const max = MAX_ATTACHMENT_BYTES[channel];
  if (size > max) throw AttachmentTooLarge(undefined, { maxBytes: max, size });
  const allowed = !REFUSED_TYPES.has(contentType) && (ALLOWED_TYPES.has(contentType) || ALLOWED_PREFIXES.some((p) => contentType.startsWith(p)));
  if (!allowed) throw AttachmentTypeRefused(undefined, { contentType });
}
