import { createHash, randomBytes } from 'node:crypto';

/** A new bearer token: 32 random bytes, prefixed so a leaked one is recognisable in a scanner. */
export function newToken(): string {
  return `sapa_${randomBytes(32).toString('base64url')}`;
}

/** Tokens are stored only as their SHA-256: a database dump grants no access. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
