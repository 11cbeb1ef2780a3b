import { createHash, timingSafeEqual } from 'node:crypto';

/** Compares two secrets as SHA-256 digests: equal lengths for timingSafeEqual, so neither content nor length leaks. */
export function sameSecret(given: string | Buffer, expected: string | Buffer): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

function digest(value: string | Buffer): Buffer {
  return createHash('sha256').update(value).digest();
}
