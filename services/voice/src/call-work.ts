import type { CallDirection, CallEvent } from '@sapa/contracts';
import type { Conversation, Message } from '@sapa/db';
import { recordAssignment } from '@sapa/db/queries/assignments';
import { lockConversation } from '@sapa/db/queries/conversations';
import type { Db } from '@sapa/db/queries/db-handle';
import { holdVoiceCapacity, insertCallNote, insertVoiceConversation, lockOpenConversationOf, teamOfChannel, voiceContactOf, type VoiceCall } from '@sapa/db/queries/voice-calls';
import { callText, isCallable, type CallStep, type CallTexts, type Locale } from '@sapa/handling';

/**
 * Mutable bookkeeping of one call event's transaction (apply-call-event.ts), and the steps every action shares: the
 * customer's contact, the call's open conversation, a note, a new conversation.
 */
export interface Work {
  tenantId: string;
  event: CallEvent;
  /** The call's, fixed by its first event. */
  direction: CallDirection;
  locale: Locale;
  call: VoiceCall | undefined;
  step: CallStep;
  conversationId: string | null;
  agentId: string | null;
  conv?: Conversation;
  contact?: { id: string; name: string | null };
  assignedTo?: string;
  previousAssignee?: string;
  messages: Message[];
  drainTeamIds: string[];
  outcome: string;
}

/** The customer's number, whichever side dialled (`caller` in both directions). */
export function customerOf(w: Work): string {
  return w.call?.caller ?? w.event.caller;
}

/** The customer's contact on this channel, found or made once per transaction. */
export async function contactOf(trx: Db, w: Work): Promise<{ id: string; name: string | null }> {
  if (!w.contact) {
    const number = customerOf(w);
    w.contact = await voiceContactOf(trx, w.tenantId, w.event.channelId, {
      number,
      name: w.call?.caller_name ?? w.event.callerName ?? null,
      phone: isCallable(number) ? number : null,
    });
  }
  return w.contact;
}

/** The call's own conversation as stored (locked), open or not; undefined while the call has none. */
export async function ownConversationOf(trx: Db, w: Work): Promise<Conversation | undefined> {
  return w.conversationId ? lockConversation(trx, w.tenantId, w.conversationId) : undefined;
}

/** The open conversation this call belongs to: its own, else the customer's open one on the channel; locked. */
export async function openConversationOf(trx: Db, w: Work): Promise<Conversation | undefined> {
  const own = await ownConversationOf(trx, w);
  if (own && own.status !== 'closed') return own;
  const contact = await contactOf(trx, w);
  return lockOpenConversationOf(trx, w.tenantId, w.event.channelId, contact.id);
}

/** Writes Sapa's note of `kind` into the conversation (announced after commit). */
export async function note(trx: Db, w: Work, conv: Conversation, kind: keyof CallTexts, vars: { attempt?: number } = {}): Promise<void> {
  const text = callText(w.locale, kind, { caller: customerOf(w), durationSeconds: w.step.record.durationSeconds, ...vars });
  w.messages.push(await insertCallNote(trx, w.tenantId, conv, text));
}

/** A new conversation for this call, held by `agentId` (voice capacity taken) or queued as a callback task. */
export async function openConversation(trx: Db, w: Work, agentId: string | null, priority: number): Promise<Conversation> {
  const contact = await contactOf(trx, w);
  const teamId = await teamOfChannel(trx, w.tenantId, w.event.channelId);
  const conv = await insertVoiceConversation(trx, w.tenantId, { channelId: w.event.channelId, contactId: contact.id, teamId, assigneeId: agentId, priority });
  if (agentId) await holdVoiceCapacity(trx, w.tenantId, agentId);
  await recordAssignment(trx, w.tenantId, {
    conversationId: conv.id,
    action: agentId ? 'assigned' : 'queued',
    agentId,
    teamId,
    reason: agentId ? 'call' : 'missed_call',
  });
  await note(trx, w, conv, w.direction === 'outbound' ? 'outgoing' : 'incoming');
  return conv;
}
