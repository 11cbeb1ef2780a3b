import type { Conversation } from '@sapa/db';
import { lockAgents, releaseCapacity, teamIdsOf } from '@sapa/db/queries/agents';
import { recordAssignment } from '@sapa/db/queries/assignments';
import { recordAudit } from '@sapa/db/queries/audit-log';
import { closeLocked } from '@sapa/db/queries/conversation-commands';
import type { Db } from '@sapa/db/queries/db-handle';
import { completeCallback, lockOpenCallbackOf, openCallbackTask, recordCallbackAttempt } from '@sapa/db/queries/voice-callbacks';
import { setCallHolder, type VoiceCall } from '@sapa/db/queries/voice-calls';
import { CALLBACK_PRIORITY } from '@sapa/handling';
import { contactOf, note, openConversation, openConversationOf, ownConversationOf, type Work } from './call-work.js';

/**
 * The callback task of a conversation (customer-handling.md: every missed call is rung back): asked by a missed
 * call, done by the first call that reaches the customer, with an outbound call nobody answered counted as an attempt.
 */

/**
 * A missed call: a callback task routed like any waiting conversation. The conversation the call rang in goes back to
 * its team's queue with callback priority (the agent who let it ring is freed); without one, a new queued one is made;
 * the caller's open conversation held by someone else keeps its agent and takes the note. Either way the conversation
 * has one open callback task (a second missed call joins it).
 */
export async function askCallback(trx: Db, w: Work): Promise<void> {
  let conv = await openConversationOf(trx, w);
  if (!conv) {
    conv = await openConversation(trx, w, null, CALLBACK_PRIORITY);
  } else if (conv.id === w.call?.conversation_id && conv.assignee_id && conv.status !== 'queued') {
    const previous = conv.assignee_id;
    await lockAgents(trx, w.tenantId, [previous]);
    await releaseCapacity(trx, w.tenantId, previous, conv.kind);
    conv = await setCallHolder(trx, w.tenantId, conv.id, { queuedWithPriority: CALLBACK_PRIORITY });
    await recordAssignment(trx, w.tenantId, { conversationId: conv.id, action: 'queued', agentId: null, teamId: conv.team_id, reason: 'missed_call' });
    w.previousAssignee = previous;
    w.drainTeamIds.push(...(await teamIdsOf(trx, w.tenantId, previous)));
  }
  await openCallbackTask(trx, w.tenantId, conv.id);
  await note(trx, w, conv, 'callback');
  if (conv.status === 'queued' && conv.team_id) w.drainTeamIds.push(conv.team_id);
  w.conv = conv;
  w.conversationId = conv.id;
}

/**
 * An agent's outbound call the customer did not pick up. With a callback task waiting in the conversation, it is an
 * attempt: counted on the task, which stays open with the agent holding it (they ring again later). Without one, the
 * call is on record like any call that is over: its own conversation closes (`call_unanswered`), freeing the agent; the
 * customer's open conversation it only joined takes the note and stays open; a call that never had one gets one that
 * opens and closes at once.
 */
export async function unansweredCall(trx: Db, w: Work): Promise<void> {
  const own = await ownConversationOf(trx, w);
  const conv = own ? (own.status !== 'closed' ? own : undefined) : await openConversationOf(trx, w);
  const task = conv && (await lockOpenCallbackOf(trx, w.tenantId, conv.id));
  if (conv && task) {
    const counted = await recordCallbackAttempt(trx, w.tenantId, task.id, w.step.record.endedAt ?? new Date(w.event.at));
    await note(trx, w, conv, 'callbackAttempt', { attempt: counted.attempts });
    return settle(trx, w, conv);
  }
  if (own && !conv) return; // closed already (by its agent): the record alone moves
  if (conv && !own) {
    await note(trx, w, conv, 'outgoingUnanswered');
    return settle(trx, w, conv);
  }
  let closing = conv;
  if (!closing) {
    closing = await openConversation(trx, w, w.agentId, 0);
    if (w.agentId) w.assignedTo = w.agentId;
  }
  await note(trx, w, closing, 'outgoingUnanswered');
  const holder = closing.assignee_id;
  await settle(trx, w, await closeLocked(trx, w.tenantId, closing, { actorId: null, reason: 'call_unanswered' }));
  if (holder) w.drainTeamIds.push(...(await teamIdsOf(trx, w.tenantId, holder)));
}

/**
 * The call reached the customer (answered, or over after an answer): the open callback task of its conversation is
 * done by it, told in the conversation (a note) and in the tenant's audit log with the call's ids.
 */
export async function completeCallbackBy(trx: Db, w: Work, call: VoiceCall): Promise<void> {
  const conv = w.conv;
  if (!conv) return;
  const task = await lockOpenCallbackOf(trx, w.tenantId, conv.id);
  if (!task) return;
  await completeCallback(trx, w.tenantId, task.id, call.id, call.answered_at ?? call.ended_at ?? new Date(w.event.at));
  await note(trx, w, conv, 'callbackDone');
  await recordAudit(trx, w.tenantId, {
    actorId: null,
    action: 'callback.completed',
    targetType: 'conversation',
    targetId: conv.id,
    details: { callbackId: task.id, callRecordId: call.id, callId: call.call_id, direction: call.direction, agentId: call.agent_id, attempts: task.attempts },
  });
}

async function settle(trx: Db, w: Work, conv: Conversation): Promise<void> {
  w.conv = conv;
  w.conversationId = conv.id;
  await contactOf(trx, w);
}
