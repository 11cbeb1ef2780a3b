import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AttachmentTooLarge, MAX_ATTACHMENT_BYTES, saveAttachment } from '@sapa/attachments';
import { StoredAttachmentDto } from '@sapa/contracts';
import { FileRequired, MultipartRequired } from '../attachments/attachment-errors.js';
import type { InboxFiles } from '../attachments/inbox-files.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import type { RouteOptions } from './route-deps.js';

const MAX_UPLOAD = MAX_ATTACHMENT_BYTES.upload;

/** `POST /v1/attachments`: an agent's file, kept so a reply can carry it (`attachments: [{id}]`). */
export const attachmentRoutes: FastifyPluginAsyncTypebox<RouteOptions & { files: InboxFiles }> = async (app, { deps, files }) => {
  app.addHook('onRequest', app.authenticate);
  // Only this plugin reads multipart bodies; one file, and no more of it than the upload limit is ever held.
  await app.register(multipart, { limits: { files: 1, fileSize: MAX_UPLOAD, fields: 4, parts: 5 } });

  app.post(
    '/v1/attachments',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Upload a file to send in a reply',
        description:
          `The body is multipart/form-data with one part of type file (its filename and Content-Type are kept as declared, but the type is sniffed from the bytes). ` +
          `Up to ${MAX_UPLOAD} bytes (else 413 \`attachment_too_large\`); executables, HTML and SVG are 415 \`attachment_type_refused\`; a body that is not multipart is 415 \`multipart_required\`. ` +
          'Answers the stored file; name it in `POST /v1/conversations/{id}/messages` as `attachments: [{id}]`.',
        consumes: ['multipart/form-data'],
        response: { 201: StoredAttachmentDto, ...errorResponses(400, ...AUTHED, 413, 415) },
      },
    },
    async (request, reply) => {
      const { tenantId, userId } = request.principal;
      if (!request.isMultipart()) throw MultipartRequired();
      const part = await request.file();
      if (!part) throw FileRequired();
      const body = await part.toBuffer().catch((err: { code?: string }) => {
        throw err.code === 'FST_REQ_FILE_TOO_LARGE' ? AttachmentTooLarge(undefined, { maxBytes: MAX_UPLOAD }) : err;
      });
      const saved = await saveAttachment(
        { db: deps.db, store: files.store },
        { tenantId, channelId: null, limits: 'upload', origin: 'upload', body, declaredContentType: part.mimetype, filename: part.filename },
      );
      request.log.info({ tenantId, userId, attachmentId: saved.id, size: saved.size, contentType: saved.contentType }, 'attachment uploaded');
      return reply.status(201).send(saved);
    },
  );
};
