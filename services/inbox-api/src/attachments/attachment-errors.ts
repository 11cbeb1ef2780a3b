import { defineError } from '@sapa/service-kit';

export const UnknownAttachment = defineError(
  'unknown_attachment',
  400,
  'a reply names an attachment id this tenant does not hold; upload the file with POST /v1/attachments and use the id it answers',
);
export const MultipartRequired = defineError('multipart_required', 415, 'send the file as multipart/form-data, in one part of type file');
export const FileRequired = defineError('file_required', 400, 'the form has no file part; send one file');
export const EmptyReply = defineError('validation_failed', 400, 'send text, attachments or both');
