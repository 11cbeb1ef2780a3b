import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CallList, CallStarted, type CallbackTaskDto, type CallDto, type OriginateRequest } from '@sapa/contracts';
import { findChannel } from '@sapa/db/queries/channels';
import { latestCallbackOf } from '@sapa/db/queries/voice-callbacks';
import { callableNumberOf, extensionOfAgent, listCallsOfConversation, type VoiceCall } from '@sapa/db/queries/voice-calls';
import { Forbidden } from '@sapa/service-kit';
import { visibleConversation } from '../access/visible-conversation.js';
import { ChannelCannotCall, ConversationClosed, ConversationNotAssigned, NoExtension, NoNumberToCall } from '../errors.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import { IdParams, type RouteOptions } from './route-deps.js';

/**
 * `GET /v1/conversations/{id}/calls`: the call records of a voice conversation and its callback task (issue 8 item 3);
 * `POST /v1/conversations/{id}/call`: click-to-call, the PBX rings the agent's phone and then dials the customer.
 */
export const callRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.addHook('onRequest', app.authenticate);

  app.get(
    '/v1/conversations/:id/calls',
    {
      schema: {
        tags: ['conversations'],
        summary: 'The calls of a conversation, oldest first: direction, times, duration, agent, recording; and its callback task',
        description:
          'Whoever may see the conversation (QC: every one). A voice conversation holds the call that opened it and any later call of the same customer that joined it: the customer calling again, or an agent calling the customer (`direction: outbound`, e.g. the callback). `caller` is the customer’s number in both directions. `durationSeconds` runs from the answer to the end; `recordingUrl` is where the PBX keeps the recording. `callbackTask`: the latest callback task a missed call asked for — `done` by the call (`doneByCallId`) that reached the customer, `attempts` counting outbound calls nobody answered, `closed` when its conversation closed before any call reached the customer; null when none was asked. Other channels have no calls.',
        params: IdParams,
        response: { 200: CallList, ...errorResponses(...AUTHED, 404) },
      },
    },
    async (request) => {
      const conversation = await visibleConversation(deps.db, request.principal, request.params.id);
      const calls = await listCallsOfConversation(deps.db, request.principal.tenantId, conversation.id);
      const task = await latestCallbackOf(deps.db, request.principal.tenantId, conversation.id);
      return { items: calls.map(toCallDto), callbackTask: task ? toCallbackTaskDto(task) : null };
    },
  );

  app.post(
    '/v1/conversations/:id/call',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Call the customer (click-to-call): the PBX rings your phone, then dials the customer',
        description:
          'The agent holding the conversation (else 403), on a voice channel read over AMI (`asterisk_ami`; a webhook-only channel is 409 `channel_cannot_call`: dial from the softphone). The voice service sends the PBX an AMI `Originate`: your extension rings first (409 `no_extension` without one), and once you pick up the customer’s number (the one they called from, else the contact’s phone; 409 `no_number_to_call` for a withheld caller) is dialled. `202` means the PBX is being asked; the call then shows in `GET /v1/conversations/{id}/calls` as `direction: outbound`, and answered it completes the callback task. A PBX that refuses leaves a note in the conversation. A queued conversation is 409 `conversation_not_assigned`, a closed one 409 `conversation_closed`.',
        params: IdParams,
        response: { 202: CallStarted, ...errorResponses(400, ...AUTHED, 404, 409) },
      },
    },
    async (request, reply) => {
      const { tenantId, userId } = request.principal;
      const conversation = await visibleConversation(deps.db, request.principal, request.params.id);
      if (conversation.status === 'closed') throw ConversationClosed();
      if (conversation.status === 'queued' || !conversation.assignee_id) throw ConversationNotAssigned('the conversation waits in the queue; take it first, then call');
      if (conversation.assignee_id !== userId) throw Forbidden('only the agent holding the conversation calls the customer from it');
      const channel = await findChannel(deps.db, tenantId, conversation.channel_id);
      if (!channel || channel.type !== 'voice' || (channel.config as { provider?: unknown }).provider !== 'asterisk_ami') throw ChannelCannotCall();
      const extension = await extensionOfAgent(deps.db, tenantId, userId);
      if (!extension) throw NoExtension();
      const number = await callableNumberOf(deps.db, tenantId, channel.id, conversation.contact_id);
      if (!number) throw NoNumberToCall();
      const job: OriginateRequest = {
        tenantId,
        channelId: channel.id,
        conversationId: conversation.id,
        agentId: userId,
        extension,
        number,
        ...(conversation.contact_name && { customerName: conversation.contact_name }),
        requestedAt: new Date().toISOString(),
      };
      await deps.producer.add('voice.originate', job);
      request.log.info({ tenantId, conversationId: conversation.id, channelId: channel.id }, 'click-to-call asked');
      return reply.code(202).send({ status: 'dialling' as const, extension, number });
    },
  );
};

function toCallDto(c: VoiceCall): CallDto {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: c.id,
    conversationId: c.conversation_id,
    channelId: c.channel_id,
    callId: c.call_id,
    status: c.status,
    direction: c.direction,
    caller: c.caller,
    calledNumber: c.called_number,
    agentExtension: c.agent_extension,
    agentId: c.agent_id,
    ringingAt: iso(c.ringing_at),
    answeredAt: iso(c.answered_at),
    endedAt: iso(c.ended_at),
    durationSeconds: c.duration_seconds,
    recordingUrl: c.recording_url,
    missedReason: c.missed_reason,
    callback: c.callback,
    createdAt: c.created_at.toISOString(),
  };
}

function toCallbackTaskDto(t: NonNullable<Awaited<ReturnType<typeof latestCallbackOf>>>): CallbackTaskDto {
  return {
    id: t.id,
    status: t.status,
    attempts: t.attempts,
    lastAttemptAt: t.last_attempt_at ? t.last_attempt_at.toISOString() : null,
    doneAt: t.done_at ? t.done_at.toISOString() : null,
    doneByCallId: t.done_by_call,
    createdAt: t.created_at.toISOString(),
  };
}
