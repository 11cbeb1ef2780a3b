import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ConversationDto, PhaseChangeBody, PhaseRecord, type Phase, type PhaseRecordEntry } from '@sapa/contracts';
import { findConversationView } from '@sapa/db/queries/conversation-views';
import { listPhaseRecord } from '@sapa/db/queries/phases';
import { Forbidden } from '@sapa/service-kit';
import { canReply } from '../access/conversation-access.js';
import { factsOf, visibleConversation } from '../access/visible-conversation.js';
import { toConversationDto } from '../dto/conversation-dto.js';
import { ConversationNotFound, InvalidPhaseTransition } from '../errors.js';
import { movePhase } from '../handling/move-phase.js';
import { conversationUpdated, publishAll } from '../live/domain-events.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import { IdParams, type RouteOptions } from './route-deps.js';

const WHO = "The assignee or a leader of the conversation's team (else 403); QC reads the record but changes nothing.";

/** Phases of the handling flow through the API (api-contract.md §Handling flow; customer-handling.md §phases). */
export const phaseRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.addHook('onRequest', app.authenticate);

  app.post(
    '/v1/conversations/:id/phase',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Move the conversation to a phase',
        description:
          `${WHO} Forward by one always; forward past phases only with a \`skipReason\` (stored with each skipped phase); back only other_help → identify_need; ` +
          'anything else is 409 `invalid_phase_transition` and changes nothing. The current phase again changes nothing. A closed conversation can still move on (closing → documented).',
        params: IdParams,
        body: PhaseChangeBody,
        response: { 200: ConversationDto, ...errorResponses(400, ...AUTHED, 404, 409) },
      },
    },
    async (request) => {
      const viewer = request.principal;
      const { tenantId, userId } = viewer;
      const before = await visibleConversation(deps.db, viewer, request.params.id);
      if (!canReply(viewer, factsOf(before))) throw Forbidden(WHO);
      const { phase, skipReason } = request.body;
      const moved = await movePhase(deps.db, tenantId, before.id, { requested: phase, skipReason: skipReason ?? null, actorId: userId });
      if (!moved.ok && moved.reason === 'not_found') throw ConversationNotFound();
      if (!moved.ok) throw InvalidPhaseTransition(`${moved.message}`, { from: moved.from, to: moved.to });

      const view = await findConversationView(deps.db, tenantId, before.id);
      if (!view) throw ConversationNotFound();
      const dto = toConversationDto(view);
      if (!moved.unchanged) {
        request.log.info({ tenantId, conversationId: before.id, from: moved.from, to: moved.to, skipped: moved.skipped.length }, 'conversation phase moved');
        await publishAll(deps.eventBus, request.log, [conversationUpdated(tenantId, dto)]);
      }
      return dto;
    },
  );

  app.get(
    '/v1/conversations/:id/phases',
    {
      schema: {
        tags: ['conversations'],
        summary: "The conversation's phase record, oldest first",
        description:
          'Whoever may see the conversation (QC: every one). The first entry is the phase the conversation opened in, at its creation; then each phase entered, and each skipped one with its reason, with who moved it and when.',
        params: IdParams,
        response: { 200: PhaseRecord, ...errorResponses(...AUTHED, 404) },
      },
    },
    async (request) => {
      const viewer = request.principal;
      const conversation = await visibleConversation(deps.db, viewer, request.params.id);
      const rows = await listPhaseRecord(deps.db, viewer.tenantId, conversation.id);
      const opened: PhaseRecordEntry = {
        phase: 'greeting',
        skipped: false,
        skipReason: null,
        actorId: null,
        at: conversation.created_at.toISOString(),
      };
      const items: PhaseRecordEntry[] = rows.map((r) => ({
        phase: r.phase as Phase,
        skipped: r.skipped,
        skipReason: r.skip_reason,
        actorId: r.actor_id,
        at: r.created_at.toISOString(),
      }));
      return { conversationId: conversation.id, phase: conversation.phase as Phase, items: [opened, ...items] };
    },
  );
};
