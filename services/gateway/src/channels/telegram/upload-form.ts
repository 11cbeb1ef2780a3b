import { SendFailure, type AttachmentAccess } from '../channel-adapter.js';
import type { BotCall } from './bot-calls.js';

/** Uploads take photos of at most 10 MB and other files of at most 50 MB (core.telegram.org/bots/api#sending-files). */
export const MAX_PHOTO_UPLOAD_BYTES = 10 * 1024 * 1024;
export const MAX_DOCUMENT_UPLOAD_BYTES = 50 * 1024 * 1024;

/**
 * A call that uploads a stored file, as the multipart form the Bot API takes: the call's fields as text and the
 * file's bytes under its field. A photo too large for sendPhoto still reaches the customer, as a document; a file
 * too large for any upload fails for good, saying so.
 */
export async function uploadCallOf(call: BotCall, attachments: AttachmentAccess): Promise<{ method: BotCall['method']; form: FormData }> {
  if (!call.upload) throw new Error('uploadCallOf takes a call with an upload');
  const file = await attachments.read(call.upload.attachmentId);
  let { method } = call;
  let { field } = call.upload;
  if (field === 'photo' && file.size > MAX_PHOTO_UPLOAD_BYTES) [method, field] = ['sendDocument', 'document'];
  if (file.size > MAX_DOCUMENT_UPLOAD_BYTES) {
    throw new SendFailure(`the file is ${file.size} bytes; Telegram bots can upload files of at most 50 MB, so send a link instead`, false);
  }
  const form = new FormData();
  // Fields that are objects (reply_parameters) travel JSON-serialised, as the Bot API takes them in a form.
  for (const [name, value] of Object.entries(call.body)) form.append(name, typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));
  form.append(field, new Blob([file.body], { type: file.contentType }), file.filename ?? defaultFilename(field, file.contentType));
  return { method, form };
}

/** Telegram shows a document's file name; a stored file without one gets a plain name of its kind. */
function defaultFilename(field: 'photo' | 'document', contentType: string): string {
  if (field === 'photo') return contentType.toLowerCase() === 'image/png' ? 'photo.png' : 'photo.jpg';
  return contentType.toLowerCase() === 'application/pdf' ? 'document.pdf' : 'document';
}
