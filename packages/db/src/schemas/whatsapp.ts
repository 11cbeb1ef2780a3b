import type { ColumnType } from 'kysely';
import type { GeneratedTimestamp } from '../schema.js';

// --- Baileys (services/whatsapp) ---

/** One linked WhatsApp number (a `whatsapp_baileys` channel): its Baileys credentials, sealed, and its pairing state. */
export interface WhatsappSessionsTable {
  channel_id: string;
  tenant_id: string;
  /** AuthenticationCreds as BufferJSON text, sealed by SecretBox (SAPA_SECRET_KEY). */
  creds_enc: string | null;
  /** Highest lease fencing token that wrote here (bigint; connect.ts reads int8 as a number). */
  fence: ColumnType<number, number | undefined, number>;
  /** Sealed `{qr?, pairingCode?}` while pairing. */
  pairing_enc: string | null;
  pairing_expires_at: Date | null;
  updated_at: GeneratedTimestamp;
}

/** Baileys' signal keys of one number, one row per (type, id), each value sealed. */
export interface WhatsappKeysTable {
  channel_id: string;
  tenant_id: string;
  type: string;
  key_id: string;
  value_enc: string;
  updated_at: GeneratedTimestamp;
}

// --- end of Baileys ---

// --- Cloud API ---

/** The template a message was sent as (whatsapp_cloud, outside or inside the 24-hour window); `messages.text` says "[template: name]". */
export interface WhatsappTemplateMessagesTable {
  message_id: string;
  tenant_id: string;
  /** The approved template's name, e.g. `follow_up_order`. */
  name: string;
  /** Its language code, e.g. `id`, `en_US`. */
  language: string;
  /** The Cloud API's `components` (header, body and button parameters), as the agent gave them. */
  components: ColumnType<unknown[], string | undefined, string>;
  created_at: GeneratedTimestamp;
}

// --- end of Cloud API ---

/** Tables of the WhatsApp (issue 7): Baileys auth state and the Cloud API service window. Part of `DB` in ../schema.ts. */
export interface WhatsappSchema {
  // Baileys
  whatsapp_sessions: WhatsappSessionsTable;
  whatsapp_keys: WhatsappKeysTable;
  // Cloud API
  whatsapp_template_messages: WhatsappTemplateMessagesTable;
}
