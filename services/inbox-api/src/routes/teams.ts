import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { TeamDto, TeamList, TeamPatchBody, type BusinessHours } from '@sapa/contracts';
import { recordAudit } from '@sapa/db/queries/audit-log';
import { listTeams, updateTeam, type TeamChange } from '@sapa/db/queries/teams';
import type { Team } from '@sapa/db';
import { HandlingError, validateBusinessHours } from '@sapa/handling';
import { requireRole } from '../auth/auth-plugin.js';
import { TeamNotFound, ValidationFailed } from '../errors.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import { IdParams, type RouteOptions } from './route-deps.js';

function toTeamDto(t: Team): TeamDto {
  return { id: t.id, key: t.key, name: t.name, isDefault: t.is_default, businessHours: t.business_hours as BusinessHours };
}

/**
 * The tenant's teams and their business hours (the calendar "1–2 jam kerja" of a playbook counts on). Everyone of
 * the tenant reads them (agents transfer to teams); admins rename a team or set its hours (audit-logged). A change
 * of hours applies to due times planned from then on.
 */
export const teamRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.addHook('onRequest', app.authenticate);
  const tags = ['teams'];

  app.get(
    '/v1/teams',
    { schema: { tags, summary: "The tenant's teams, by key", response: { 200: TeamList, ...errorResponses(...AUTHED) } } },
    async (request) => ({ items: (await listTeams(deps.db, request.principal.tenantId)).map(toTeamDto) }),
  );

  app.patch(
    '/v1/teams/:id',
    {
      onRequest: requireRole('admin'),
      schema: {
        tags,
        summary: "Rename a team or set its business hours",
        description:
          'Admin only. `businessHours` lists the openings of each weekday in the tenant time zone (`{"mon": [{"from": "08:00", "to": "12:00"}, {"from": "13:00", "to": "17:00"}]}`); a day left out is closed, and tenant holidays are closed. ' +
          'Openings out of order, overlapping or ending before they start are 400 `validation_failed` naming the path. Another tenant’s team is 404 `team_not_found`.',
        params: IdParams,
        body: TeamPatchBody,
        response: { 200: TeamDto, ...errorResponses(400, ...AUTHED, 404) },
      },
    },
    async (request) => {
      const { tenantId, userId } = request.principal;
      const change: TeamChange = { ...(request.body.name !== undefined ? { name: request.body.name } : {}) };
      if (request.body.businessHours !== undefined) change.businessHours = checkedHours(request.body.businessHours);
      const team = await deps.db.transaction().execute(async (trx) => {
        const updated = await updateTeam(trx, tenantId, request.params.id, change);
        if (!updated) throw TeamNotFound();
        await recordAudit(trx, tenantId, { actorId: userId, action: 'team.updated', targetType: 'team', targetId: updated.id, details: { changed: Object.keys(change) } });
        return updated;
      });
      request.log.info({ tenantId, teamId: team.id, changed: Object.keys(change) }, 'team updated');
      return toTeamDto(team);
    },
  );
};

function checkedHours(hours: BusinessHours): BusinessHours {
  try {
    return validateBusinessHours(hours);
  } catch (err) {
    if (err instanceof HandlingError) throw ValidationFailed(err.message, err.details as Record<string, unknown>);
    throw err;
  }
}
