import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CreateQcScoreBody, QC_CRITERIA, QcScoreDto, QcScoreList, QcScoreListQuery, type QcCriteria } from '@sapa/contracts';
import { insertQcScore, listQcScores, type QcScope, type QcScore } from '@sapa/db/queries/qc-scores';
import { visibleConversation } from '../access/visible-conversation.js';
import { hasRole, type Viewer } from '../auth/principal.js';
import { requireRole } from '../auth/auth-plugin.js';
import { ConversationHasNoAgent } from '../errors.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import { IdParams, type RouteOptions } from './route-deps.js';

/**
 * Quality control (issue 5 item 7): QC scores a conversation's agent on the five criteria of the handling flow.
 * Scoring is QC's alone (admins too are 403: a score is an independent judgement); a score is never edited, a
 * second scoring is a new row. Team leaders read their own teams' agents, admins and QC the whole tenant.
 */
export const qcScoreRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.addHook('onRequest', app.authenticate);
  const tags = ['quality'];

  app.post(
    '/v1/conversations/:id/qc-scores',
    {
      onRequest: requireRole('quality_control'),
      schema: {
        tags,
        summary: "Score a conversation's agent on the five QC criteria",
        description:
          'Quality control only (admins included are 403). Each of greeting, verification, solution, cross_sell and closing is an integer 0..100, all five required; ' +
          'a missing, out-of-range or unknown criterion is 400 `validation_failed`. The agent scored is the conversation\'s assignee (none yet: 409 `conversation_has_no_agent`); ' +
          '`total` is the mean of the five; a blank note is stored as null. Scores are never edited.',
        params: IdParams,
        body: CreateQcScoreBody,
        response: { 201: QcScoreDto, ...errorResponses(400, ...AUTHED, 404, 409) },
      },
    },
    async (request, reply) => {
      const { tenantId, userId } = request.principal;
      const conversation = await visibleConversation(deps.db, request.principal, request.params.id);
      if (!conversation.assignee_id) throw ConversationHasNoAgent();
      const { criteria, note = null } = request.body;
      const score = await insertQcScore(deps.db, tenantId, {
        conversationId: conversation.id,
        agentId: conversation.assignee_id,
        scorerId: userId,
        criteria,
        total: meanOf(criteria),
        note: note?.trim() ? note : null,
      });
      request.log.info({ tenantId, conversationId: conversation.id, qcScoreId: score.id, agentId: score.agentId }, 'qc score recorded');
      return reply.code(201).send(toDto(score));
    },
  );

  app.get(
    '/v1/qc-scores',
    {
      onRequest: requireRole('quality_control', 'admin', 'team_leader'),
      schema: {
        tags,
        summary: 'QC scores per agent, newest first, with each agent\'s count and average',
        description:
          'QC and admins see the whole tenant; team leaders the agents of the teams they lead (an agent outside them lists nothing). `from` is inclusive, `to` exclusive. ' +
          '`summary` covers every matching score, `items` at most `limit` of them.',
        querystring: QcScoreListQuery,
        response: { 200: QcScoreList, ...errorResponses(400, ...AUTHED) },
      },
    },
    async (request) => {
      const { agentId, from, to, limit = 200 } = request.query;
      const { items, summary } = await listQcScores(deps.db, request.principal.tenantId, {
        scope: qcScope(request.principal),
        limit,
        ...(agentId ? { agentId } : {}),
        ...(from ? { from: new Date(from) } : {}),
        ...(to ? { to: new Date(to) } : {}),
      });
      return { items: items.map(toDto), summary };
    },
  );
};

function qcScope(viewer: Viewer): QcScope {
  if (hasRole(viewer, 'quality_control', 'admin')) return { all: true };
  return { all: false, leaderOfTeamIds: [...viewer.leaderOfTeamIds] };
}

/** The mean of the five criteria, to two decimals (numeric(5,2)). */
function meanOf(criteria: QcCriteria): number {
  const sum = QC_CRITERIA.reduce((acc, key) => acc + criteria[key], 0);
  return Math.round((sum / QC_CRITERIA.length) * 100) / 100;
}

function toDto(score: QcScore) {
  return { ...score, criteria: score.criteria as QcCriteria, createdAt: score.createdAt.toISOString() };
}
