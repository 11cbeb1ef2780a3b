import { randomUUID } from 'node:crypto';
import type { AttachmentAccess } from '../../src/channels/channel-adapter.js';

export interface FileToKeep {
  contentType: string;
  body: Buffer;
  filename?: string;
  /** The size Sapa recorded, when a test needs one larger than the bytes it bothers to make. */
  size?: number;
  id?: string;
}

/**
 * Files Sapa holds, kept in memory, for adapters that upload them (`read`). `signedUrl` throws: `channel` uploads
 * stored files and makes no link to them.
 */
export function storedFiles(channel: string) {
  const files = new Map<string, { body: Buffer; contentType: string; filename?: string; size: number }>();
  const attachments: AttachmentAccess = {
    read: async (id) => files.get(id)!,
    signedUrl: () => {
      throw new Error(`${channel} uploads stored files; no link is made`);
    },
  };
  return {
    attachments,
    /** Keeps a file; answers its reference as a message's `attachments` holds it. */
    keep(file: FileToKeep) {
      const id = file.id ?? randomUUID();
      const size = file.size ?? file.body.length;
      files.set(id, { body: file.body, contentType: file.contentType, size, ...(file.filename && { filename: file.filename }) });
      return { id, url: `sapa-attachment:${id}`, contentType: file.contentType, size, ...(file.filename && { filename: file.filename }) };
    },
  };
}
