import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { AttachmentMissing, type AttachmentStore } from './attachment-store.js';

/**
 * Attachments as files under one folder. A file is written beside its final name and renamed into place, so a
 * reader never sees half of one and a crash leaves at most a stray temporary file.
 */
export function createLocalDiskStore(root: string): AttachmentStore {
  const base = resolve(root);
  const pathOf = (key: string) => {
    const path = resolve(base, key);
    // Keys are Sapa's own, but a key that climbs out of the folder would be a bug worth stopping at.
    if (!path.startsWith(base + sep)) throw new Error(`attachment key leaves the store: ${key}`);
    return path;
  };
  return {
    async put(key, body) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const temporary = join(dirname(path), `.${randomUUID()}.part`);
      await writeFile(temporary, body, { flush: true });
      await rename(temporary, path);
    },
    async get(key) {
      const path = pathOf(key);
      try {
        await stat(path);
      } catch {
        throw new AttachmentMissing(key);
      }
      return createReadStream(path) as Readable;
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}
