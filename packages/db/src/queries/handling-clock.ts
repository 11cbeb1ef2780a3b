import type { Conversation, Delivery, Message } from '../schema.js';
import { closeLocked } from './conversation-commands.js';
import type { Db } from './db-handle.js';
import { createDelivery } from './deliveries.js';

/**
 * The customer's-silence clock of the Customer Handling flow (customer-handling.md §Inactivity nudges), as the
 * ticket service keeps it on the conversation row: `nudge_seq` (the lowest timer seq still allowed to act) and
 * the last word of each side. Every function here runs inside the caller's transaction, after `lockClock`.
 */
export interface ClockedConversation {
  conversation: Conversation;
  channelType: string;
  contact: { id: string; name: string | null };
  /** The assignee's display name, for templates that greet or close with it. */
  assigneeName: string | null;
}

/** Locks the conversation row (only that row) and reads what the clock decides on: status, channel type, names. */
export async function lockClock(db: Db, tenantId: string, conversationId: string): Promise<ClockedConversation | undefined> {
  const row = await db
    .selectFrom('conversations as c')
    .innerJoin('channels as ch', 'ch.id', 'c.channel_id')
    .innerJoin('contacts as k', 'k.id', 'c.contact_id')
    .leftJoin('users as u', 'u.id', 'c.assignee_id')
    .selectAll('c')
    .select(['ch.type as channel_type', 'k.name as contact_name', 'u.name as assignee_name'])
    .where('c.tenant_id', '=', tenantId)
    .where('c.id', '=', conversationId)
    .forUpdate('c')
    .executeTakeFirst();
  if (!row) return undefined;
  const { channel_type, contact_name, assignee_name, ...conversation } = row;
  return {
    conversation,
    channelType: channel_type,
    contact: { id: conversation.contact_id, name: contact_name },
    assigneeName: assignee_name,
  };
}

export interface ClockState {
  lastAgentMessageAt: Date | null;
  lastContactMessageAt: Date | null;
  nudgeSeq: number;
}

/** Stores the clock after an event: both sides' last word and the seq of the timers now in force. */
export async function setClock(db: Db, tenantId: string, conversationId: string, state: ClockState): Promise<void> {
  await db
    .updateTable('conversations')
    .set({
      last_agent_message_at: state.lastAgentMessageAt,
      last_contact_message_at: state.lastContactMessageAt,
      nudge_seq: state.nudgeSeq,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', conversationId)
    .execute();
}

/**
 * Sapa's own message to the customer (a nudge or the closing text), `authorType: system`, and the timer that sent it
 * consumed: `nudge_seq` moves past `timerSeq` in the same update that bumps `last_message_at`. With `deliver` it
 * also gets its delivery row, to be enqueued on the channel's outbound queue after commit; without (a channel that
 * cannot send yet) it is only in the transcript. Three statements: timers come due by the hundred a second.
 */
export async function insertTimerMessage(
  db: Db,
  tenantId: string,
  m: { conversationId: string; channelId: string; text: string; deliver: boolean; timerSeq: number },
): Promise<{ message: Message; delivery: Delivery | undefined }> {
  const message = await db
    .insertInto('messages')
    .values({
      tenant_id: tenantId,
      conversation_id: m.conversationId,
      channel_id: m.channelId,
      direction: 'out',
      author_type: 'system',
      author_id: null,
      text: m.text,
      attachments: JSON.stringify([]),
      status: 'queued',
      external_id: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const delivery = m.deliver
    ? await createDelivery(db, tenantId, { messageId: message.id, conversationId: m.conversationId, channelId: m.channelId })
    : undefined;
  await db
    .updateTable('conversations')
    .set({ nudge_seq: m.timerSeq + 1, last_message_at: message.created_at })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', m.conversationId)
    .execute();
  return { message, delivery };
}

/**
 * Closes a conversation for the customer's silence inside the caller's transaction (the row already locked by
 * `lockClock`): the close must commit together with the closing text and the consumed timer.
 */
export function closeForSilence(db: Db, tenantId: string, conv: Conversation, reason = 'no_response'): Promise<Conversation> {
  return closeLocked(db, tenantId, conv, { actorId: null, reason });
}

/**
 * Whether the customer wrote in this conversation after `since`. The timer's own check that the silence it
 * counts is real: a customer message the router did not report (it reports only while a clock may run, see
 * services/router) still stops the nudge.
 */
export async function contactWroteSince(db: Db, tenantId: string, conversationId: string, since: Date): Promise<boolean> {
  const row = await db
    .selectFrom('messages')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('conversation_id', '=', conversationId)
    .where('created_at', '>', since)
    .where('direction', '=', 'in')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
