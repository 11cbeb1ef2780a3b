import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The demo's SAPA_SECRET_KEY: read from the file, or generated into it the first time (32 random bytes,
 * hex, mode 0600). Losing it makes sealed channel secrets unreadable, so it is never rewritten.
 */
export function readOrCreateSecretKey(file) {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
  }
  mkdirSync(dirname(file), { recursive: true });
  try {
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if (err.code !== 'EEXIST') throw err; // another start wrote it first: use theirs
  }
  return readFileSync(file, 'utf8').trim();
}
