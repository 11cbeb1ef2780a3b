import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalDiskStore } from '@sapa/attachments';
import type { InboxFiles } from './inbox-files.js';

let fallback: InboxFiles | undefined;

/**
 * Files for an inbox API built without them (tests that never touch files): a folder under the temporary directory
 * and a signing key of this process only, so its links open nowhere else. main.ts always gives the configured ones.
 */
export function defaultInboxFiles(): InboxFiles {
  fallback ??= { store: createLocalDiskStore(join(tmpdir(), 'sapa-attachments')), signingKey: randomBytes(32) };
  return fallback;
}
