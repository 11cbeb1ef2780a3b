import { storedAttachmentUrl } from '@sapa/attachments';
import type { Attachment, LinkedAttachment } from '@sapa/contracts';
import type { Db } from '@sapa/db/queries/db-handle';
import { UnknownAttachment } from './attachment-errors.js';

/** A file on a reply as the agent names it: one uploaded (`{id}`), or a link to one Sapa does not hold. */
export type ReplyAttachment = { id: string } | LinkedAttachment;

/**
 * The attachments a reply stores: an uploaded file by its id (only the tenant's own uploads; any other id, another
 * tenant's included, is 400 `unknown_attachment` and nothing is stored), a link as it was given.
 */
export async function resolveReplyAttachments(db: Db, tenantId: string, given: readonly ReplyAttachment[]): Promise<Attachment[]> {
  const ids = [...new Set(given.flatMap((a) => ('id' in a ? [a.id] : [])))];
  const rows = ids.length === 0
    ? []
    : await db
        .selectFrom('attachments')
        .select(['id', 'content_type', 'filename', 'size'])
        .where('tenant_id', '=', tenantId)
        .where('origin', '=', 'upload')
        .where('id', 'in', ids)
        .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const unknown = ids.filter((id) => !byId.has(id));
  if (unknown.length > 0) throw UnknownAttachment(undefined, { ids: unknown });
  return given.map((a) => {
    if (!('id' in a)) return a;
    const row = byId.get(a.id)!;
    return { id: row.id, url: storedAttachmentUrl(row.id), contentType: row.content_type, size: row.size, ...(row.filename !== null && { filename: row.filename }) };
  });
}
