import { sql } from 'kysely';
import { recordAudit } from './audit-log.js';
import type { Db } from './db-handle.js';

/**
 * When a contact last wrote to a channel (WhatsApp's customer-service window is per customer and business number,
 * across Sapa's conversations): the channel's own time of their latest message, else when Sapa took it; null when
 * they never wrote. Feeds `serviceWindow` of @sapa/handling.
 */
export async function lastCustomerMessageAt(db: Db, tenantId: string, where: { contactId: string; channelId: string }): Promise<Date | null> {
  const row = await db
    .selectFrom('messages as m')
    .innerJoin('conversations as c', (j) => j.onRef('c.id', '=', 'm.conversation_id').onRef('c.tenant_id', '=', 'm.tenant_id'))
    .select(sql<Date | null>`max(coalesce(m.sent_at, m.created_at))`.as('at'))
    .where('c.tenant_id', '=', tenantId)
    .where('c.contact_id', '=', where.contactId)
    .where('c.channel_id', '=', where.channelId)
    .where('m.direction', '=', 'in')
    .executeTakeFirst();
  return row?.at ? new Date(row.at) : null;
}

/**
 * A clock timer consumed without a message (its text was skipped: WhatsApp's window had closed and the tenant has no
 * template for it): `nudge_seq` moves past it, as insertTimerMessage would, so a retry does not act twice while the
 * later timers of the clock stay current. Runs after `lockClock`, in its transaction.
 */
export async function consumeTimerWithoutMessage(db: Db, tenantId: string, conversationId: string, timerSeq: number): Promise<void> {
  await db.updateTable('conversations').set({ nudge_seq: timerSeq + 1 }).where('tenant_id', '=', tenantId).where('id', '=', conversationId).execute();
}

/**
 * Records one of Sapa's own texts (a nudge, the closing text) that could not go because WhatsApp's window had closed
 * and the tenant has no template for it. Never silent: the audit log says which, why and since when, so a supervisor
 * sees why a customer got nothing (and can add a template under settings `whatsapp`).
 */
export async function recordSkippedSystemText(
  db: Db,
  tenantId: string,
  conversationId: string,
  skipped: {
    what: 'nudge' | 'closing';
    /** The handling timer that wanted to send it; absent for an agent's close. */
    timer?: string;
    actorId: string | null;
    window: { lastCustomerMessageAt: Date | null; closesAt: Date | null } | undefined;
  },
): Promise<void> {
  const { what, window } = skipped;
  await recordAudit(db, tenantId, {
    actorId: skipped.actorId,
    action: `conversation.${what}_skipped`,
    targetType: 'conversation',
    targetId: conversationId,
    details: {
      ...(skipped.timer !== undefined && { timer: skipped.timer }),
      reason: 'outside_service_window',
      note: `${what} skipped: outside the WhatsApp 24-hour window and no ${what} template is configured (tenant settings whatsapp.${what}Template)`,
      lastCustomerMessageAt: window?.lastCustomerMessageAt?.toISOString() ?? null,
      windowClosedAt: window?.closesAt?.toISOString() ?? null,
    },
  });
}
