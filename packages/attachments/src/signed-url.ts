import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a link handed to an agent (message listing, live events) stays valid: long enough to open, short enough to leak little. */
export const AGENT_LINK_TTL_SECONDS = 15 * 60;
/** How long a link handed to a channel (WhatsApp Cloud `link`, an api callback) stays valid: providers fetch it late, sometimes after retries. */
export const CHANNEL_LINK_TTL_SECONDS = 60 * 60;

/** What a signed link grants: the bytes of one stored file of one tenant, until `expiresAt`. */
export interface AttachmentLink {
  tenantId: string;
  attachmentId: string;
  expiresAt: Date;
}

/** The two query parameters a signed link carries. */
export interface LinkSignature {
  /** Unix seconds. */
  expires: number;
  /** Hex HMAC-SHA256 over the tenant, the file and `expires`. */
  signature: string;
}

export type LinkCheck = { ok: true } | { ok: false; reason: 'invalid_signature' | 'link_expired' };

/**
 * The key links are signed with, derived from SAPA_SECRET_KEY so every replica of a service (and no one else)
 * agrees on it without another secret to deploy; its own label keeps it apart from any other use of that key.
 */
export function attachmentSigningKey(secretKey: string): Buffer {
  return createHmac('sha256', secretKey).update('sapa/attachment-links/v1').digest();
}

/** The signature of a link. The tenant is signed in, so a link names a file only within the tenant that signed it. */
export function signAttachmentLink(key: Buffer | string, link: AttachmentLink): LinkSignature {
  const expires = Math.floor(link.expiresAt.getTime() / 1000);
  return { expires, signature: mac(key, link.tenantId, link.attachmentId, expires) };
}

/** `routeUrl` (the serving route of this file, no query) with `expires` and `signature` appended. */
export function signAttachmentUrl(key: Buffer | string, link: AttachmentLink, routeUrl: string): string {
  const { expires, signature } = signAttachmentLink(key, link);
  return `${routeUrl}?expires=${expires}&signature=${signature}`;
}

/**
 * Checks a link's query against the file it asks for. The signature is compared in constant time before the
 * expiry is read, so a forged `expires` is `invalid_signature`, never `link_expired`.
 */
export function verifyAttachmentLink(
  key: Buffer | string,
  file: { tenantId: string; attachmentId: string },
  query: { expires?: unknown; signature?: unknown },
  now: Date,
): LinkCheck {
  const expires = typeof query.expires === 'string' && /^\d{1,12}$/.test(query.expires) ? Number(query.expires) : undefined;
  const given = typeof query.signature === 'string' && /^[0-9a-f]{64}$/.test(query.signature) ? Buffer.from(query.signature, 'hex') : undefined;
  if (expires === undefined || given === undefined) return { ok: false, reason: 'invalid_signature' };
  const wanted = Buffer.from(mac(key, file.tenantId, file.attachmentId, expires), 'hex');
  if (!timingSafeEqual(given, wanted)) return { ok: false, reason: 'invalid_signature' };
  if (expires * 1000 <= now.getTime()) return { ok: false, reason: 'link_expired' };
  return { ok: true };
}

function mac(key: Buffer | string, tenantId: string, attachmentId: string, expires: number): string {
  return createHmac('sha256', key).update(`v1\n${tenantId}\n${attachmentId}\n${expires}`).digest('hex');
}
