import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CallList, type CallDto } from '@sapa/contracts';
import { listCallsOfConversation, type VoiceCall } from '@sapa/db/queries/voice-calls';
import { visibleConversation } from '../access/visible-conversation.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import { IdParams, type RouteOptions } from './route-deps.js';

/** `GET /v1/conversations/{id}/calls`: the call records of a voice conversation (issue 8 item 3). */
export const callRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.addHook('onRequest', app.authenticate);

  app.get(
    '/v1/conversations/:id/calls',
    {
      schema: {
        tags: ['conversations'],
        summary: 'The calls of a conversation, oldest first: times, duration, agent, recording, callback',
        description:
          'Whoever may see the conversation (QC: every one). A voice conversation holds the call that opened it and any later call of the same customer that joined it (a callback task answered by a new call); other channels have none. `durationSeconds` runs from the answer to the end; `recordingUrl` is where the PBX keeps the recording.',
        params: IdParams,
        response: { 200: CallList, ...errorResponses(...AUTHED, 404) },
      },
    },
    async (request) => {
      const conversation = await visibleConversation(deps.db, request.principal, request.params.id);
      const calls = await listCallsOfConversation(deps.db, request.principal.tenantId, conversation.id);
      return { items: calls.map(toCallDto) };
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
