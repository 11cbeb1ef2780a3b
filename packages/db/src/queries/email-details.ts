import type { Message } from '../schema.js';
import type { Db } from './db-handle.js';

/** What an agent sees of a mail beyond its text: the subject, the addresses, the sanitised HTML, a bounce. */
export interface EmailDetails {
  subject: string | null;
  from: string | null;
  to: string[];
  cc: string[];
  html: string | null;
  bounce: { action: string; status?: string; diagnostic?: string; at: string } | null;
}

/**
 * The mail behind each message of a page, by message id: an inbound mail is found by its Message-ID (the message's
 * external id on that channel), one Sapa sent by its message id. Messages that are no mail are absent.
 */
export async function findEmailDetails(db: Db, tenantId: string, messages: readonly Pick<Message, 'id' | 'channel_id' | 'direction' | 'external_id'>[]): Promise<Map<string, EmailDetails>> {
  const inbound = messages.filter((m) => m.direction === 'in' && m.external_id !== null);
  const outbound = messages.filter((m) => m.direction === 'out');
  const found = new Map<string, EmailDetails>();
  if (inbound.length === 0 && outbound.length === 0) return found;
  const rows = await db
    .selectFrom('email_messages')
    .select(['message_id', 'channel_id', 'rfc_message_id', 'direction', 'subject', 'from_address', 'to_addresses', 'cc_addresses', 'html', 'bounce'])
    .where('tenant_id', '=', tenantId)
    .where((eb) =>
      eb.or([
        ...(outbound.length > 0 ? [eb('message_id', 'in', outbound.map((m) => m.id))] : []),
        ...(inbound.length > 0
          ? [eb.and([eb('direction', '=', 'in'), eb('channel_id', 'in', [...new Set(inbound.map((m) => m.channel_id))]), eb('rfc_message_id', 'in', inbound.map((m) => m.external_id!))])]
          : []),
      ]),
    )
    .execute();
  for (const m of messages) {
    const row = rows.find((r) =>
      m.direction === 'out' ? r.message_id === m.id : r.direction === 'in' && r.channel_id === m.channel_id && r.rfc_message_id === m.external_id,
    );
    if (!row) continue;
    found.set(m.id, {
      subject: row.subject,
      from: row.from_address,
      to: row.to_addresses,
      cc: row.cc_addresses,
      html: row.html,
      bounce: row.bounce ? { action: row.bounce.action, ...(row.bounce.status && { status: row.bounce.status }), ...(row.bounce.diagnostic && { diagnostic: row.bounce.diagnostic }), at: row.bounce.at } : null,
    });
  }
  return found;
}
