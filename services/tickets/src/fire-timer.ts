import type { Kysely } from 'kysely';
import type { ConversationStatus, HandlingTimer } from '@sapa/contracts';
import type { Conversation, DB, Delivery, Message } from '@sapa/db';
import { closeForSilence, contactWroteSince, insertTimerMessage, lockClock } from '@sapa/db/queries/handling-clock';
import type { HandlingSettings, HolidayEntry } from '@sapa/handling';
import { outboundQueueFor, type QueueName } from '@sapa/queue';
import { consumeTimerWithoutMessage } from '@sapa/db/queries/service-window';
import { recordMessageTemplate, templateMessageText } from '@sapa/db/queries/whatsapp-templates';
import { isTimerCurrent } from './clock-seq.js';
import { planTimerText, recordSkippedText } from './window-plan.js';
import { isClosing, systemTextFor } from './system-texts.js';

/** Only a conversation waiting on the customer has the clock; a live-chat leave may also close a queued chat. */
const LIVE_STATUSES: Readonly<Record<HandlingTimer['kind'], ReadonlySet<ConversationStatus>>> = {
  nudge1: new Set(['assigned']),
  nudge2: new Set(['assigned']),
  close: new Set(['assigned']),
  leave_nudge: new Set(['assigned', 'queued']),
  leave_close: new Set(['assigned', 'queued']),
};

/** Timers that count the customer's silence after an agent's word (a live-chat leave counts from the leave). */
const SILENCE_AFTER_AGENT: ReadonlySet<HandlingTimer['kind']> = new Set(['nudge1', 'nudge2', 'close']);

export type FireOutcome =
  | { kind: 'stale'; reason: 'not_found' | 'superseded' | 'not_waiting' | 'answered' }
  | {
      kind: 'fired';
      message: Message;
      /** Undefined when the channel cannot send yet: the message is then only in the transcript. */
      delivery: Delivery | undefined;
      outboundQueue: QueueName | undefined;
      conversation: Conversation;
      before: Conversation;
      channelType: string;
      contact: { id: string; name: string | null };
      closed: boolean;
    }
  | {
      /** The text could not go (WhatsApp's 24-hour window closed, no template configured): recorded, timer consumed, a closing still closes. */
      kind: 'skipped';
      reason: 'outside_service_window';
      conversation: Conversation;
      before: Conversation;
      channelType: string;
      contact: { id: string; name: string | null };
      closed: boolean;
    };

/**
 * Acts on one timer, exactly once: with the conversation row locked, a timer that is not current (clock-seq.ts) or a
 * conversation no longer waiting on the customer does nothing; otherwise the system message, its delivery, the moved
 * `nudge_seq` and, for a closing, the close itself commit together. A retried, duplicated or concurrently run copy of
 * the timer then waits on the lock and finds itself stale.
 */
export function fireTimer(
  db: Kysely<DB>,
  t: HandlingTimer,
  calendar: { settings: HandlingSettings; holidays: readonly HolidayEntry[] },
  at: Date,
): Promise<FireOutcome> {
  return db.transaction().execute(async (trx): Promise<FireOutcome> => {
    const clocked = await lockClock(trx, t.tenantId, t.conversationId);
    if (!clocked) return { kind: 'stale', reason: 'not_found' };
    const conv = clocked.conversation;
    if (!isTimerCurrent(t.seq, conv.nudge_seq)) return { kind: 'stale', reason: 'superseded' };
    if (!LIVE_STATUSES[t.kind].has(conv.status)) return { kind: 'stale', reason: 'not_waiting' };
    // The silence after the agent's word must be real: the customer may have answered without the router telling us.
    if (SILENCE_AFTER_AGENT.has(t.kind) && conv.last_agent_message_at && (await contactWroteSince(trx, t.tenantId, conv.id, conv.last_agent_message_at))) {
      return { kind: 'stale', reason: 'answered' };
    }

    const closing = isClosing(t.kind);
    const { plan, window } = await planTimerText(trx, t, clocked, calendar.settings, at);
    if (plan.send === 'skip') {
      await recordSkippedText(trx, t, window);
      const after = closing ? await closeForSilence(trx, t.tenantId, conv) : conv;
      if (!closing) await consumeTimerWithoutMessage(trx, t.tenantId, conv.id, t.seq);
      return { kind: 'skipped', reason: plan.reason, conversation: after, before: conv, channelType: clocked.channelType, contact: clocked.contact, closed: closing };
    }
    const text = plan.send === 'template' ? templateMessageText(plan.template) : systemTextFor(t.kind, calendar.settings, calendar.holidays, at, clocked.assigneeName);
    const outboundQueue = outboundQueueFor(clocked.channelType);
    const { message, delivery } = await insertTimerMessage(trx, t.tenantId, {
      conversationId: conv.id,
      channelId: conv.channel_id,
      text,
      deliver: outboundQueue !== undefined,
      timerSeq: t.seq,
    });
    if (plan.send === 'template') await recordMessageTemplate(trx, t.tenantId, message.id, { ...plan.template, components: [] });
    const after = closing
      ? await closeForSilence(trx, t.tenantId, conv)
      : { ...conv, nudge_seq: t.seq + 1, last_message_at: message.created_at };
    return {
      kind: 'fired',
      message,
      delivery,
      outboundQueue,
      conversation: after,
      before: conv,
      channelType: clocked.channelType,
      contact: clocked.contact,
      closed: closing,
    };
  });
}
