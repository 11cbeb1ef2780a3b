import { CHANNEL_LINK_TTL_SECONDS, findAttachment, signAttachmentUrl, type AttachmentStore } from '@sapa/attachments';
import type { Db } from '@sapa/db/queries/db-handle';
import { SendFailure, type AttachmentAccess } from '../channels/channel-adapter.js';

/** What the gateway needs to keep customers' files and hand stored ones to channels. */
export interface GatewayAttachments {
  store: AttachmentStore;
  /** attachmentSigningKey(SAPA_SECRET_KEY): the same on every gateway replica, so any of them serves a link. */
  signingKey: Buffer | string;
  /** The gateway's public base URL (SAPA_PUBLIC_WEBHOOK_URL); default: the address it listens on. */
  publicUrl?: string;
  /** Integrators' attachment links may name private addresses (SAPA_MEDIA_ALLOW_PRIVATE_HOSTS; tests). */
  allowPrivateHosts?: boolean;
}

export interface AttachmentAccessDeps {
  db: Db;
  store: AttachmentStore;
  signingKey: Buffer | string;
  /** Read when a link is made: the listening address is known only once the gateway listens. */
  publicUrl: () => string;
}

/** The route serving a signed link on the gateway (attachment-route.ts). */
export const attachmentRoutePath = (attachmentId: string) => `/attachments/${attachmentId}`;

/**
 * One tenant's stored files as an outbound adapter reaches them (SendOptions.attachments): the bytes, or a signed
 * link on the gateway for channels that fetch by URL. Another tenant's id is as unknown as a made-up one.
 */
export function attachmentAccessFor(deps: AttachmentAccessDeps, tenantId: string): AttachmentAccess {
  return {
    read: (attachmentId) => readStoredAttachment(deps, tenantId, attachmentId),
    signedUrl(attachmentId, ttlSeconds = CHANNEL_LINK_TTL_SECONDS) {
      const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
      return signAttachmentUrl(deps.signingKey, { tenantId, attachmentId, expiresAt }, `${deps.publicUrl().replace(/\/+$/, '')}${attachmentRoutePath(attachmentId)}`);
    },
  };
}

/**
 * The bytes of one of a tenant's stored files, for a sender that attaches or uploads it (the gateway's adapters, the
 * email and WhatsApp services). Another tenant's id is as unknown as a made-up one: a SendFailure no retry fixes.
 */
export async function readStoredAttachment(
  deps: { db: Db; store: AttachmentStore },
  tenantId: string,
  attachmentId: string,
): Promise<{ body: Buffer; contentType: string; filename?: string; size: number }> {
  const row = await findAttachment(deps.db, tenantId, attachmentId);
  if (!row) throw new SendFailure(`the message names attachment ${attachmentId}, which this tenant does not hold`, false);
  const chunks: Buffer[] = [];
  for await (const chunk of await deps.store.get(row.storage_key)) chunks.push(Buffer.from(chunk as Buffer));
  return { body: Buffer.concat(chunks), contentType: row.content_type, size: row.size, ...(row.filename !== null && { filename: row.filename }) };
}
