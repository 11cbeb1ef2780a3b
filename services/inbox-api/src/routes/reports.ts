import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { FCR_TARGET, ServiceLevelQuery, ServiceLevelReport } from '@sapa/contracts';
import { fcrStats, firstResponseStats, ticketCounts, ticketBreaches, type ReportWindow } from '@sapa/db/queries/reports';
import { findTeam } from '@sapa/db/queries/teams';
import { getTenantSettings } from '@sapa/db/queries/tenant-settings';
import { Forbidden } from '@sapa/service-kit';
import { requireRole } from '../auth/auth-plugin.js';
import { hasRole, type Viewer } from '../auth/principal.js';
import { TeamNotFound, ValidationFailed } from '../errors.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import type { RouteOptions } from './route-deps.js';

/**
 * The service-level report (issue 5 item 6): first response time against the tenant's target, first-contact
 * resolution against 70%, tickets by playbook and by team. Admins and QC see any team; team leaders the teams they lead.
 */
export const reportRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.addHook('onRequest', app.authenticate);

  app.get(
    '/v1/reports/service-level',
    {
      onRequest: requireRole('admin', 'team_leader', 'quality_control'),
      schema: {
        tags: ['reports'],
        summary: 'Service level of a time window: first response, FCR, tickets',
        description:
          '`from` inclusive, `to` exclusive (else 400 `validation_failed`). First response: from a conversation\'s first assignment to the first agent message, over conversations first assigned in the window that an agent answered; ' +
          'the target is the tenant setting `routing.firstResponseSeconds`. FCR: of the conversations closed in the window, the share with no ticket dispatched beyond the agent (target 0.7). ' +
          'Tickets: opened in the window, by playbook and by the team holding them (one still with its agent under the conversation\'s team). Shares and times are null when nothing was measured. ' +
          '`teamId` narrows everything to that team\'s conversations (unknown: 404 `team_not_found`); a team leader sees only teams they lead (another: 403). `breaches`: tickets whose due time fell in the window and that missed it.',
        querystring: ServiceLevelQuery,
        response: { 200: ServiceLevelReport, ...errorResponses(400, ...AUTHED, 404) },
      },
    },
    async (request) => {
      const { tenantId } = request.principal;
      const from = new Date(request.query.from);
      const to = new Date(request.query.to);
      if (from >= to) throw ValidationFailed('from must be before to', { errors: [{ path: 'from', message: 'must be before to' }] });
      const teamIds = await teamsOf(request.principal, request.query.teamId, (id) => findTeam(deps.db, tenantId, id).then(Boolean));
      const window: ReportWindow = { from, to, ...(teamIds ? { teamIds } : {}) };
      const targetSeconds = (await getTenantSettings(deps.db, tenantId)).routing.firstResponseSeconds;
      const [first, fcr, tickets, breaches] = await Promise.all([
        firstResponseStats(deps.db, tenantId, window, targetSeconds),
        fcrStats(deps.db, tenantId, window),
        ticketCounts(deps.db, tenantId, window),
        ticketBreaches(deps.db, tenantId, window),
      ]);
      return {
        firstResponse: {
          p50Seconds: round(first.p50Seconds, 3),
          p90Seconds: round(first.p90Seconds, 3),
          withinTargetShare: share(first.withinTarget, first.answered),
          targetSeconds,
        },
        fcr: { share: share(fcr.resolvedFirstContact, fcr.closed), target: FCR_TARGET, conversations: fcr.closed },
        ticketsByPlaybook: tickets.byPlaybook,
        ticketsByTeam: tickets.byTeam,
        breaches,
      };
    },
  );
};

/** The teams the report covers: undefined = the whole tenant (admins and QC without a teamId). */
async function teamsOf(viewer: Viewer, teamId: string | undefined, exists: (id: string) => Promise<boolean>): Promise<string[] | undefined> {
  const wholeTenant = hasRole(viewer, 'admin', 'quality_control');
  if (teamId === undefined) return wholeTenant ? undefined : [...viewer.leaderOfTeamIds];
  if (!(await exists(teamId))) throw TeamNotFound(undefined, { teamId });
  if (!wholeTenant && !viewer.leaderOfTeamIds.includes(teamId)) throw Forbidden('team leaders see the report of the teams they lead');
  return [teamId];
}

function share(part: number, whole: number): number | null {
  return whole === 0 ? null : round(part / whole, 4);
}

function round(value: number | null, digits: number): number | null {
  if (value === null) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
