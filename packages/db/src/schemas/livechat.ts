import type { Generated } from 'kysely';
import type { GeneratedTimestamp } from '../schema.js';

/**
 * A live chat visitor: who filled in a channel's pre-chat form in one browser. Their id is their `external_id` on the
 * channel (contact_identities), so the router makes one contact of them; `token_hash` is the SHA-256 of the resume
 * token the widget keeps, never the token.
 */
export interface LivechatVisitorsTable {
  id: Generated<string>;
  tenant_id: string;
  channel_id: string;
  token_hash: string;
  name: string | null;
  /** E.164, checked with libphonenumber when the form was sent. */
  phone: string | null;
  email: string | null;
  lang: Generated<'id' | 'en'>;
  created_at: GeneratedTimestamp;
  last_seen_at: GeneratedTimestamp;
}

/** Tables of the live chat (issue 8 item 2). Part of `DB` in ../schema.ts. */
export interface LivechatSchema {
  livechat_visitors: LivechatVisitorsTable;
}
