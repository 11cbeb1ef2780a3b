import { SendFailure, type AttachmentAccess } from '../channel-adapter.js';
import { postFormToGraph } from '../meta/graph-api.js';
import type { WhatsappSender } from './credentials.js';
import { mediaTypeFor, type WhatsappMediaType } from './outbound-media.js';

export interface UploadedMedia {
  id: string;
  type: WhatsappMediaType;
  filename?: string;
}

/**
 * Uploads a stored file to the number's media store, `POST /{phoneNumberId}/media` as multipart (`file`, `type`,
 * `messaging_product`), and answers the media id a message then names. Meta keeps it 30 days; a retry uploads anew.
 */
export async function uploadStoredFile(sender: WhatsappSender, attachments: AttachmentAccess, attachmentId: string, timeoutMs: number): Promise<UploadedMedia> {
  const file = await attachments.read(attachmentId);
  const type = mediaTypeFor(file.contentType, file.size);
  const form = new FormData();
  form.append('messaging_product', 'whatsapp');
  form.append('type', file.contentType);
  form.append('file', new Blob([file.body], { type: file.contentType }), file.filename ?? `${type}`);
  const answer = (await postFormToGraph(sender.account, `${sender.phoneNumberId}/media`, form, timeoutMs)) as { id?: unknown };
  if (typeof answer.id !== 'string') throw new SendFailure('the Graph API took the upload but gave no media id', true);
  return { id: answer.id, type, ...(file.filename !== undefined && { filename: file.filename }) };
}
