import type { Kysely } from 'kysely';
import type { CallEvent } from '@sapa/contracts';
import type { Conversation, DB, Message } from '@sapa/db';
import { lockAgents, releaseCapacity, teamIdsOf } from '@sapa/db/queries/agents';
import { recordAssignment } from '@sapa/db/queries/assignments';
import { findChannel } from '@sapa/db/queries/channels';
import { closeLocked } from '@sapa/db/queries/conversation-commands';
import { findConversation } from '@sapa/db/queries/conversations';
import type { Db } from '@sapa/db/queries/db-handle';
import {
  claimCallEvent,
  findAgentByExtension,
  holdVoiceCapacity,
  lockCall,
  recordEventOutcome,
  saveCall,
  setCallHolder,
  takeTenantDrainLock,
  type VoiceCall,
} from '@sapa/db/queries/voice-calls';
import { decideCallStep, isConnected, type CallCloseReason, type CallState, type Locale } from '@sapa/handling';
import { askCallback, completeCallbackBy, unansweredCall } from './callback-task.js';
import { contactOf, note, openConversation, openConversationOf, ownConversationOf, type Work } from './call-work.js';

/** What one applied call event changed, for the announcements made after commit. */
export type CallEffects =
  | { kind: 'duplicate' | 'channel_gone' }
  | {
      kind: 'applied';
      outcome: string;
      call: VoiceCall;
      /** The call's conversation as it is now, with its contact; absent while the call has none. */
      conversation?: { row: Conversation; contact: { id: string; name: string | null } };
      /** The conversation went to this agent (`conversation.assigned`). */
      assignedTo?: string;
      /** An agent who held it before and no longer does (told by `conversation.updated`). */
      previousAssignee?: string;
      /** Notes Sapa wrote into the conversation (`message.created`). */
      messages: Message[];
      /** Teams whose queue may now move: a callback task waits, or an agent's voice capacity came free. */
      drainTeamIds: string[];
    };

/**
 * Applies one call event (queue `voice.events`) in one transaction: the call record, and the call's conversation
 * through the handling model — held by the agent whose extension rings or talks (their voice capacity taken), closed
 * when the call ends (capacity freed; the agent then documents it), turned into a callback task in the team's queue
 * when it was missed. An agent's outbound call (a callback) walks the same way; answered, it completes the callback task
 * of its conversation; not answered, it counts an attempt on it (callback-task.ts). The tenant's drain lock is taken first, so the event cannot race a drain or a transfer over the
 * same agents, and the events of one call apply one at a time. An event applied before changes nothing.
 */
export function applyCallEvent(db: Kysely<DB>, e: CallEvent, locale: Locale): Promise<CallEffects> {
  return db.transaction().execute(async (trx): Promise<CallEffects> => {
    await takeTenantDrainLock(trx, e.tenantId);
    const channel = await findChannel(trx, e.tenantId, e.channelId);
    if (!channel || channel.type !== 'voice') return { kind: 'channel_gone' };
    const at = new Date(e.at);
    const key = { channelId: e.channelId, callId: e.callId, event: e.event, agentExtension: e.agentExtension ?? null };
    if (!(await claimCallEvent(trx, e.tenantId, { ...key, source: e.source, at }))) return { kind: 'duplicate' };

    const call = await lockCall(trx, e.tenantId, e.channelId, e.callId);
    const direction = call?.direction ?? e.direction ?? 'inbound';
    const step = decideCallStep(stateOf(call, e, direction), {
      event: e.event,
      at,
      ...(e.agentExtension !== undefined && { agentExtension: e.agentExtension }),
      ...(e.recordingUrl !== undefined && { recordingUrl: e.recordingUrl }),
      ...(e.reason !== undefined && { reason: e.reason }),
    });
    const w: Work = {
      tenantId: e.tenantId,
      event: e,
      direction,
      locale,
      call,
      step,
      conversationId: call?.conversation_id ?? null,
      agentId: call?.agent_id ?? null,
      messages: [],
      drainTeamIds: [],
      outcome: step.outcome,
    };
    if (step.record.agentExtension && step.record.agentExtension !== call?.agent_extension) {
      w.agentId = (await findAgentByExtension(trx, e.tenantId, step.record.agentExtension)) ?? null;
    }
    const action = step.action;
    let closing: Conversation | undefined;
    if (action.kind === 'hold') await holdCall(trx, w, action.extension);
    else if (action.kind === 'end') closing = await endCall(trx, w, action.closeReason);
    else if (action.kind === 'callback') await askCallback(trx, w);
    else if (action.kind === 'unanswered') await unansweredCall(trx, w);

    const r = step.record;
    const saved = await saveCall(trx, e.tenantId, e.channelId, e.callId, {
      status: r.status,
      direction,
      caller: call?.caller ?? e.caller,
      callerName: call?.caller_name ?? e.callerName ?? null,
      calledNumber: call?.called_number ?? e.calledNumber ?? null,
      agentExtension: r.agentExtension,
      agentId: w.agentId,
      conversationId: w.conversationId,
      ringingAt: r.ringingAt,
      answeredAt: r.answeredAt,
      endedAt: r.endedAt,
      durationSeconds: r.durationSeconds,
      recordingUrl: r.recordingUrl,
      missedReason: r.missedReason,
      callback: r.callback,
    });
    // Once the call has its record: the callback task names the call that reached the customer. Before the close: a
    // conversation closing with its task still open closes the task (closeLocked), which this call did instead.
    if (action.kind !== 'none' && isConnected(r.status)) await completeCallbackBy(trx, w, saved);
    if (closing && action.kind === 'end') await closeCallConversation(trx, w, closing, action.closeReason);
    await recordEventOutcome(trx, key, w.outcome);
    // Read once more: the notes moved last_message_at after the rows above were returned.
    const conv = w.conv && (await findConversation(trx, e.tenantId, w.conv.id));
    const contact = conv ? await contactOf(trx, w) : undefined;
    return {
      kind: 'applied',
      outcome: w.outcome,
      call: saved,
      ...(conv && contact && { conversation: { row: conv, contact } }),
      ...(w.assignedTo && { assignedTo: w.assignedTo }),
      ...(w.previousAssignee && { previousAssignee: w.previousAssignee }),
      messages: w.messages,
      drainTeamIds: [...new Set(w.drainTeamIds)],
    };
  });
}

function stateOf(call: VoiceCall | undefined, e: CallEvent, direction: CallState['direction']): CallState {
  return {
    status: call?.status ?? null,
    direction,
    caller: call?.caller ?? e.caller,
    agentExtension: call?.agent_extension ?? null,
    ringingAt: call?.ringing_at ?? null,
    answeredAt: call?.answered_at ?? null,
    endedAt: call?.ended_at ?? null,
    recordingUrl: call?.recording_url ?? null,
    missedReason: call?.missed_reason ?? null,
    callback: call?.callback ?? false,
  };
}

/** The call rings or talks at `extension`: that agent holds the conversation and a unit of voice capacity. */
async function holdCall(trx: Db, w: Work, extension: string): Promise<void> {
  const agentId = w.agentId && w.step.record.agentExtension === extension ? w.agentId : await findAgentByExtension(trx, w.tenantId, extension);
  if (!agentId) {
    // An extension no agent has: the call is recorded; its conversation waits for an agent's event or its end.
    w.outcome = 'unknown_extension';
    return;
  }
  w.agentId = agentId;
  let conv = await openConversationOf(trx, w);
  if (!conv) {
    conv = await openConversation(trx, w, agentId, 0);
    w.assignedTo = agentId;
  } else {
    // An agent calling a customer whose conversation is open (a callback task, most often): the call joins it, told.
    if (w.direction === 'outbound' && w.call?.conversation_id !== conv.id) await note(trx, w, conv, 'outgoing');
    if (conv.assignee_id !== agentId || conv.status !== 'assigned') conv = await moveCallTo(trx, w, conv, agentId);
  }
  w.conv = conv;
  w.conversationId = conv.id;
  await contactOf(trx, w);
}

/**
 * The conversation goes to the agent whose phone the call is at (from the queue, or from another agent: a queue
 * ringing its members in turn, a transfer), with a unit of their voice capacity; the previous agent's is freed.
 */
async function moveCallTo(trx: Db, w: Work, conv: Conversation, agentId: string): Promise<Conversation> {
  const previous = conv.assignee_id;
  await lockAgents(trx, w.tenantId, [agentId, ...(previous ? [previous] : [])]);
  if (previous) await releaseCapacity(trx, w.tenantId, previous, conv.kind);
  await holdVoiceCapacity(trx, w.tenantId, agentId);
  const moved = await setCallHolder(trx, w.tenantId, conv.id, { agentId });
  await recordAssignment(trx, w.tenantId, {
    conversationId: conv.id,
    action: previous ? 'transferred' : 'assigned',
    agentId,
    teamId: conv.team_id,
    reason: 'call',
  });
  w.assignedTo = agentId;
  if (previous && previous !== agentId) {
    w.previousAssignee = previous;
    w.drainTeamIds.push(...(await teamIdsOf(trx, w.tenantId, previous)));
  }
  return moved;
}

/**
 * The call is over. Its conversation closes (customer-handling.md: the closing was said on the phone; the agent then
 * documents it, which a closed conversation still allows), freeing the agent's voice capacity. A call that never had a
 * conversation gets one that opens and closes at once, so every call is on record — unless the caller has another open
 * one (a callback task), which takes the note and stays open for its own agent. Answers the conversation to close,
 * which closeCallConversation closes once the call's record is saved and its callback task done.
 */
async function endCall(trx: Db, w: Work, closeReason: CallCloseReason): Promise<Conversation | undefined> {
  const own = await ownConversationOf(trx, w);
  let conv: Conversation | undefined = own && own.status !== 'closed' ? own : undefined;
  if (!own) {
    const open = await openConversationOf(trx, w);
    if (open) {
      await note(trx, w, open, closeReason === 'call_ended' ? 'ended' : 'callback');
      w.conv = open;
      w.conversationId = open.id;
      return undefined;
    }
    conv = await openConversation(trx, w, w.agentId, 0);
    if (w.agentId) w.assignedTo = w.agentId;
  }
  if (!conv) return undefined; // closed already (by its agent): the record alone moves
  if (closeReason === 'call_ended') await note(trx, w, conv, 'ended');
  w.conv = conv;
  w.conversationId = conv.id;
  return conv;
}

/** Closes the ended call's conversation (endCall), freeing its holder's voice capacity: their teams may drain. */
async function closeCallConversation(trx: Db, w: Work, conv: Conversation, closeReason: CallCloseReason): Promise<void> {
  const holder = conv.assignee_id;
  w.conv = await closeLocked(trx, w.tenantId, conv, { actorId: null, reason: closeReason });
  await contactOf(trx, w);
  if (holder) w.drainTeamIds.push(...(await teamIdsOf(trx, w.tenantId, holder)));
}
