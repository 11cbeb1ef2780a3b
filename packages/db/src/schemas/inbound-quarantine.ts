import type { Generated } from 'kysely';
import type { GeneratedTimestamp, Json, Timestamp } from '../schema.js';

/**
 * Something a channel received and could not read (a mail mailparser chokes on, an AMI frame out of shape, a live
 * chat frame that is not JSON). It was taken off the wire, so it must not be lost: it is kept here, bytes and all,
 * for an admin to look at or replay, and the service goes on with the next one.
 */
export interface InboundQuarantineTable {
  id: Generated<string>;
  tenant_id: string;
  channel_id: string | null;
  /** Which reader gave up: `email`, `ami`, `livechat`, `voice_webhook`, … */
  source: string;
  reason: string;
  payload: Buffer;
  /** Where it came from (mailbox and UID, call id, …), enough to find it again at the source. */
  details: Json<Record<string, unknown>>;
  created_at: GeneratedTimestamp;
  resolved_at: Timestamp | null;
}

/** Tables of the inbound quarantine. Part of `DB` in ../schema.ts. */
export interface QuarantineSchema {
  inbound_quarantine: InboundQuarantineTable;
}
