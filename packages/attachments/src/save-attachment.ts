import { createHash, randomUUID } from 'node:crypto';
import type { ChannelType } from '@sapa/contracts';
import type { Db } from '@sapa/db/queries/db-handle';
import type { AttachmentStore } from './attachment-store.js';
import { checkAttachment } from './attachment-policy.js';
import { sniffContentType } from './content-type.js';

export interface AttachmentDeps {
  db: Db;
  store: AttachmentStore;
}

export interface NewAttachment {
  tenantId: string;
  channelId: string | null;
  /** Whose limits apply: the channel it came on, or `upload` for Sapa's own upload route. */
  limits: ChannelType | 'upload';
  origin: 'inbound' | 'upload';
  body: Buffer;
  declaredContentType?: string;
  filename?: string;
}

/** A file Sapa now holds, as a message's attachment names it. */
export interface StoredAttachment {
  id: string;
  contentType: string;
  filename?: string;
  size: number;
}

/**
 * Checks a file (size, its real type) and keeps it: bytes into the store first, then the row, so a row never names
 * bytes that are not there (a crash between the two leaves an orphan file, not a broken attachment).
 */
export async function saveAttachment(deps: AttachmentDeps, input: NewAttachment): Promise<StoredAttachment> {
  const contentType = await sniffContentType(input.body, input.declaredContentType);
  checkAttachment(input.limits, contentType, input.body.length);
  const filename = cleanFilename(input.filename);
  const key = `${input.tenantId}/${new Date().toISOString().slice(0, 7)}/${randomUUID()}`;
  await deps.store.put(key, input.body, contentType);
  const row = await deps.db
    .insertInto('attachments')
    .values({
      tenant_id: input.tenantId,
      channel_id: input.channelId,
      origin: input.origin,
      storage_key: key,
      content_type: contentType,
      filename: filename ?? null,
      size: input.body.length,
      sha256: createHash('sha256').update(input.body).digest('hex'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, contentType, size: input.body.length, ...(filename !== undefined && { filename }) };
}

/** A tenant's stored file, or undefined (another tenant's id is as unknown as a made-up one). */
export function findAttachment(db: Db, tenantId: string, id: string) {
  return db.selectFrom('attachments').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

/** A file name safe to show and to put in a Content-Disposition: no folders, no control characters, at most 255 characters. */
export function cleanFilename(name: string | undefined): string | undefined {
  const base = name?.split(/[\\/]/).at(-1)?.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  return base ? base.slice(0, 255) : undefined;
}
