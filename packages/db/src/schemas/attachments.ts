import type { Generated } from 'kysely';
import type { GeneratedTimestamp } from '../schema.js';

/** A file Sapa holds: the bytes live in an AttachmentStore (local disk or S3) under `storage_key`; this row says what they are. */
export interface AttachmentsTable {
  id: Generated<string>;
  tenant_id: string;
  channel_id: string | null;
  /** Where the bytes came from: `inbound` (a customer's, fetched from the channel), `upload` (an agent's, or a live chat visitor's). */
  origin: 'inbound' | 'upload';
  storage_key: string;
  /** Sniffed from the bytes where the format has a signature, else the declared type. */
  content_type: string;
  filename: string | null;
  size: number;
  sha256: string;
  created_at: GeneratedTimestamp;
}

/** Tables of the attachments (issue 7 item 4). Part of `DB` in ../schema.ts. */
export interface AttachmentsSchema {
  attachments: AttachmentsTable;
}
