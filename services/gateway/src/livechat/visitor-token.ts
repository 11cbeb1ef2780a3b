import { createHash, randomBytes } from 'node:crypto';

/** A new resume token: 32 random bytes, shown to the widget once and kept in its localStorage. */
export function newVisitorToken(): string {
  return `lcv_${randomBytes(32).toString('base64url')}`;
}

/** What Postgres keeps of a token: its SHA-256 (a 256-bit random token needs no slow hash). */
export function hashVisitorToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The token of `Authorization: Bearer <token>`, or undefined. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S{1,200})$/i.exec(header.trim());
  return match?.[1];
}
