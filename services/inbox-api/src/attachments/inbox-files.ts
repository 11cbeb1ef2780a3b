import type { FastifyRequest } from 'fastify';
import { AGENT_LINK_TTL_SECONDS, signAttachmentUrl, withSignedUrls, type AttachmentStore } from '@sapa/attachments';
import type { MessageDto } from '@sapa/contracts';

/** What the inbox API needs to keep agents' uploads and hand out links to stored files. */
export interface InboxFiles {
  store: AttachmentStore;
  /** attachmentSigningKey(SAPA_SECRET_KEY): the same on every replica, so any of them serves a link another made. */
  signingKey: Buffer | string;
  /** The inbox API's public base URL (SAPA_PUBLIC_API_URL); default: the origin the request came to. */
  publicApiUrl?: string;
}

/** The route a signed link points at (routes/attachment-content.ts). */
export const contentPath = (attachmentId: string) => `/v1/attachments/${attachmentId}/content`;

/** Signs links to the tenant's files for one agent's request, valid AGENT_LINK_TTL_SECONDS. */
export function linkSigner(files: InboxFiles, request: FastifyRequest, tenantId: string, now = new Date()): (attachmentId: string) => string {
  const base = (files.publicApiUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '');
  const expiresAt = new Date(now.getTime() + AGENT_LINK_TTL_SECONDS * 1000);
  return (attachmentId) => signAttachmentUrl(files.signingKey, { tenantId, attachmentId, expiresAt }, `${base}${contentPath(attachmentId)}`);
}

/** A message as an agent reads it: every file Sapa holds behind a fresh signed link. */
export function withAttachmentLinks(message: MessageDto, linkOf: (attachmentId: string) => string): MessageDto {
  return message.attachments.length === 0 ? message : { ...message, attachments: withSignedUrls(message.attachments, linkOf) };
}
