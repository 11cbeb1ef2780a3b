import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AttachmentTooLarge, MAX_ATTACHMENT_BYTES, saveAttachment } from '@sapa/attachments';
import { resumeVisitor } from '@sapa/db/queries/livechat';
import type { OpenedChannel } from '../channels/channel-adapter.js';
import { EmptyAttachment, InvalidVisitorToken, TooManyUploads } from './errors.js';
import type { LivechatDeps } from './livechat-deps.js';
import { bearerToken, hashVisitorToken } from './visitor-token.js';
import { takeRate } from './visitor-rate-limit.js';

const MAX = MAX_ATTACHMENT_BYTES.livechat;

/**
 * `POST /livechat/{channelId}/attachments`: a visitor's file, the raw bytes as the body with their type as
 * `Content-Type`, the name in `X-Filename` (URI-encoded), the visitor token as `Authorization: Bearer`. Answers
 * `201 {id, contentType, filename?, size}`; the widget then sends a message naming the id. Refusals in order: unknown
 * channel 404, origin 403 (both before, in the route's hooks), token 401, too many uploads 429 `rate_limited`, over the live chat limit 413
 * `attachment_too_large` (from Content-Length before reading, or while reading), empty 400, a refused kind 415.
 */
export function registerUploadRoute(app: FastifyInstance, deps: LivechatDeps, hooks: { onRequest: Array<(r: FastifyRequest) => Promise<void>> }): void {
  app.post<{ Params: { channelId: string } }>('/livechat/:channelId/attachments', { onRequest: hooks.onRequest, bodyLimit: MAX }, async (request, reply) => {
    const channel = request.livechatChannel as OpenedChannel;
    const token = bearerToken(request.headers.authorization);
    const visitor = token ? await resumeVisitor(deps.db, channel.row.id, hashVisitorToken(token)) : undefined;
    if (!visitor) throw InvalidVisitorToken();
    const rate = await takeRate(deps.redis, `${deps.prefix}:livechat:rate:upload:${visitor.id}`, deps.rateLimits.upload);
    if (!rate.allowed) {
      void reply.header('retry-after', String(rate.retryAfterSeconds));
      throw TooManyUploads(undefined, { retryAfterSeconds: rate.retryAfterSeconds });
    }
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > MAX) throw AttachmentTooLarge(undefined, { maxBytes: MAX, size: declared });
    const body = await readAtMost(request.body as Readable | undefined, MAX);
    if (body.length === 0) throw EmptyAttachment();
    const stored = await saveAttachment(
      { db: deps.db, store: deps.store },
      {
        tenantId: channel.row.tenant_id,
        channelId: channel.row.id,
        limits: 'livechat',
        origin: 'upload',
        body,
        ...(typeof request.headers['content-type'] === 'string' && { declaredContentType: request.headers['content-type'].split(';')[0]!.trim() }),
        ...filenameOf(request.headers['x-filename']),
      },
    );
    request.log.info({ tenantId: channel.row.tenant_id, channelId: channel.row.id, attachmentId: stored.id, size: stored.size }, 'live chat upload stored');
    return reply.status(201).send(stored);
  });
}

/** Reads a body up to `max` bytes; one byte more and it stops collecting and refuses the file. */
async function readAtMost(stream: Readable | undefined, max: number): Promise<Buffer> {
  if (!stream || typeof stream[Symbol.asyncIterator] !== 'function') return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > max) throw AttachmentTooLarge(undefined, { maxBytes: max });
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function filenameOf(header: string | string[] | undefined): { filename?: string } {
  if (typeof header !== 'string' || header.length === 0) return {};
  try {
    return { filename: decodeURIComponent(header) };
  } catch {
    return { filename: header };
  }
}
