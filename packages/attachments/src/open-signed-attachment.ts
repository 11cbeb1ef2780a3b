import type { Readable } from 'node:stream';
import type { Db } from '@sapa/db/queries/db-handle';
import { defineError } from '@sapa/service-kit';
import type { AttachmentStore } from './attachment-store.js';
import { verifyAttachmentLink } from './signed-url.js';

export const AttachmentNotFound = defineError('attachment_not_found', 404, 'no such attachment');
export const InvalidSignature = defineError('invalid_signature', 403, 'the link is not signed by Sapa; ask for a fresh one by listing the messages again');
export const LinkExpired = defineError('link_expired', 403, 'the link has expired; ask for a fresh one by listing the messages again');

export interface SignedAccessDeps {
  db: Db;
  store: AttachmentStore;
  /** attachmentSigningKey(SAPA_SECRET_KEY) of the service that signed the link. */
  signingKey: Buffer | string;
}

/** A file a signed link opened: its bytes and the headers to send them with. */
export interface OpenedAttachment {
  body: Readable;
  headers: Record<string, string>;
}

/**
 * Opens the file a signed link names (`GET …?expires&signature`). No bearer token: the signature is the
 * authority, and it was made for one tenant's file, so the row is read by id and its own tenant is checked by
 * the signature. Unknown id → 404; bad or forged signature → 403 `invalid_signature`; past `expires` → 403 `link_expired`.
 */
export async function openSignedAttachment(
  deps: SignedAccessDeps,
  attachmentId: string,
  query: { expires?: unknown; signature?: unknown },
  now: Date,
): Promise<OpenedAttachment> {
  const row = await deps.db
    .selectFrom('attachments')
    .select(['id', 'tenant_id', 'storage_key', 'content_type', 'filename', 'size'])
    .where('id', '=', attachmentId)
    .executeTakeFirst();
  if (!row) throw AttachmentNotFound();
  const check = verifyAttachmentLink(deps.signingKey, { tenantId: row.tenant_id, attachmentId: row.id }, query, now);
  if (!check.ok) throw check.reason === 'link_expired' ? LinkExpired() : InvalidSignature();
  const body = await deps.store.get(row.storage_key);
  const expires = Number(query.expires);
  return { body, headers: attachmentHeaders(row, Math.max(0, expires - Math.floor(now.getTime() / 1000))) };
}

/**
 * Headers of a served file: always a download (never rendered in Sapa's origin), the stored type and nothing
 * sniffed by the browser, cached only by the one who asked and no longer than the link lives.
 */
export function attachmentHeaders(row: { content_type: string; filename: string | null; size: number | string }, maxAgeSeconds: number): Record<string, string> {
  return {
    'content-type': row.content_type,
    'content-length': String(row.size),
    'content-disposition': contentDisposition(row.filename ?? 'attachment'),
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'cache-control': `private, max-age=${maxAgeSeconds}`,
  };
}

/** RFC 6266 with RFC 8187's `filename*` for names outside ASCII, and a plain ASCII fallback for old clients. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
