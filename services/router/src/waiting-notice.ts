import type { Kysely } from 'kysely';
import { messageCreated } from '@sapa/contracts';
import { toConversationDto, toMessageDto, type Conversation, type DB } from '@sapa/db';
import { insertOutboundWithDelivery } from '@sapa/db/queries/outbound-messages';
import { claimWaitingNotice, queueStanding } from '@sapa/db/queries/waiting-notice';
import { isWithinBusinessHours, renderTemplate, timeOfDayWord, type BusinessCalendar, type HandlingSettings } from '@sapa/handling';
import { outboundQueueFor, type EventBus, type Producer } from '@sapa/queue';
import { estimatedWaitMinutes } from '@sapa/routing';
import type { TtlCache } from '@sapa/service-kit';

export interface WaitingNoticeDeps {
  db: Kysely<DB>;
  bus: EventBus;
  producer: Producer;
  settings: TtlCache<HandlingSettings>;
  /** Business calendar of a team, by `<tenantId>/<teamId>`. */
  teamCalendars: TtlCache<BusinessCalendar>;
}

/**
 * Tells a customer whose new conversation has to wait, once (issue 6 item 2): out of the team's business hours the
 * tenant's `outOfHours` template; otherwise, when the tenant announces it, their place in the queue and the estimated
 * wait (`queuePosition`). The text is a `system` message, stored with its delivery in the transaction that marks the
 * notice given, then sent on the channel like any reply. An agent who is online out of hours still takes it.
 */
export async function tellWaitingCustomer(deps: WaitingNoticeDeps, conv: Conversation, contact: { id: string; name: string | null }, channelType: string, now = new Date()): Promise<void> {
  if (conv.status !== 'queued' || !conv.team_id || conv.waiting_notice) return;
  const settings = await deps.settings.get(conv.tenant_id);
  const open = isWithinBusinessHours(now, await deps.teamCalendars.get(`${conv.tenant_id}/${conv.team_id}`));
  const notice = !open ? 'out_of_hours' : settings.routing.announceQueuePosition ? 'queue_position' : null;
  if (!notice) return;

  const sent = await deps.db.transaction().execute(async (trx) => {
    const claimed = await claimWaitingNotice(trx, conv.tenant_id, conv.id, notice);
    if (!claimed) return undefined;
    const common = { brand: settings.brand, timeOfDay: timeOfDayWord(now, settings.timeZone, settings.locale) };
    const text =
      notice === 'out_of_hours'
        ? renderTemplate(settings.templates.outOfHours, common)
        : renderTemplate(settings.templates.queuePosition, { ...common, ...(await waitVars(trx, claimed)) });
    const stored = await insertOutboundWithDelivery(trx, conv.tenant_id, { conversationId: conv.id, channelId: conv.channel_id, authorType: 'system', authorId: null, text, attachments: [] });
    return { ...stored, conversation: claimed };
  });
  if (!sent) return;
  const queue = outboundQueueFor(channelType);
  if (queue) await deps.producer.add(queue, { tenantId: conv.tenant_id, deliveryId: sent.delivery.id, messageId: sent.message.id, replay: 0 });
  await deps.bus.publish(messageCreated(conv.tenant_id, toConversationDto(sent.conversation, contact, channelType), toMessageDto(sent.message)));
}

async function waitVars(db: Parameters<typeof queueStanding>[0], conv: Conversation) {
  const standing = await queueStanding(db, conv);
  return { position: String(standing.position), waitMinutes: String(estimatedWaitMinutes(standing)) };
}
