import type { Readable } from 'node:stream';

/**
 * Where the bytes of attachments live. One interface, so the rest of Sapa neither knows nor cares whether that is
 * a folder on the host (the default, fine for one machine) or an S3-compatible bucket (several machines, or ops who
 * want the files off the database host). Keys are chosen by Sapa and never come from a user.
 */
export interface AttachmentStore {
  /** Writes the whole body under `key`; resolves once it is durably held. */
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** The bytes under `key`; rejects with AttachmentMissing when there are none. */
  get(key: string): Promise<Readable>;
  delete(key: string): Promise<void>;
}

/** The store holds nothing under a key the database names: a lost file, reported rather than served empty. */
export class AttachmentMissing extends Error {
  constructor(readonly key: string) {
    super(`no stored attachment under ${key}`);
    this.name = 'AttachmentMissing';
  }
}
