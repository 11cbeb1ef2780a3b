import type { Db } from './db-handle.js';
import type { ReceiptApplied } from './message-receipts.js';

/** What a watermark receipt may say: Messenger's `delivery` and `read` events name a moment, not messages. */
export type WatermarkStatus = 'delivered' | 'read';

/** The statuses a message may come from (message-receipts.ts: a status only moves forward). */
const REACHABLE_FROM: Record<WatermarkStatus, string[]> = {
  delivered: ['sent'],
  read: ['sent', 'delivered'],
};

/** Up to where a watermark reaches: a moment, or one message Sapa sent (Instagram's `read.mid`), itself included. */
export type WatermarkUpTo = { at: Date } | { externalMessageId: string };

/**
 * Moves every message Sapa sent on `channelId` to the customer known there as `recipientExternalId`, sent up to the
 * watermark, forward to `status` (api-contract.md §Channel types; Messenger's `read.watermark`: "all messages sent
 * before or at this timestamp were read"). Sapa's `sent_at` is written once the channel answered, a moment after the
 * channel stamped the message, so a moment reaches `toleranceMs` further to still cover the message the watermark
 * names. Returns the messages that changed, for `message.updated`.
 */
export async function applyWatermarkReceipt(
  db: Db,
  tenantId: string,
  channelId: string,
  recipientExternalId: string,
  upTo: WatermarkUpTo,
  status: WatermarkStatus,
  toleranceMs = 5_000,
): Promise<ReceiptApplied[]> {
  const rows = await db
    .updateTable('messages')
    .set({ status })
    .where('tenant_id', '=', tenantId)
    .where('channel_id', '=', channelId)
    .where('direction', '=', 'out')
    .where('status', 'in', REACHABLE_FROM[status])
    .where((eb) =>
      'at' in upTo
        ? eb('sent_at', '<=', new Date(upTo.at.getTime() + toleranceMs))
        : // Compared in SQL: a JS Date would drop the microseconds of the named message's own sent_at, and miss it.
          eb(
            'sent_at',
            '<=',
            eb
              .selectFrom('messages as named')
              .select('named.sent_at')
              .where('named.tenant_id', '=', tenantId)
              .where('named.channel_id', '=', channelId)
              .where('named.direction', '=', 'out')
              .where('named.external_id', '=', upTo.externalMessageId),
          ),
    )
    .where('conversation_id', 'in', (eb) =>
      eb
        .selectFrom('conversations as c')
        .innerJoin('contact_identities as ci', (j) => j.onRef('ci.contact_id', '=', 'c.contact_id').onRef('ci.tenant_id', '=', 'c.tenant_id'))
        .select('c.id')
        .where('c.tenant_id', '=', tenantId)
        .where('ci.channel_id', '=', channelId)
        .where('ci.external_id', '=', recipientExternalId),
    )
    .returning(['id', 'conversation_id'])
    .execute();
  if (rows.length === 0) return [];
  const conversations = await db
    .selectFrom('conversations')
    .select(['id', 'team_id', 'assignee_id'])
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', [...new Set(rows.map((r) => r.conversation_id))])
    .execute();
  const byId = new Map(conversations.map((c) => [c.id, { id: c.id, teamId: c.team_id, assigneeId: c.assignee_id }]));
  return rows.flatMap((r) => {
    const conversation = byId.get(r.conversation_id);
    return conversation ? [{ messageId: r.id, conversation }] : [];
  });
}
