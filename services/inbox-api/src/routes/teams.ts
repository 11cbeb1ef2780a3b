import { randomBytes } from 'node:crypto';
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
  return {
    id: t.id,
    key: t.key,
    name: t.name,
    isDefault: t.is_default,
    businessHours: t.business_hours as BusinessHours,
    strategy: t.strategy,
    allocator: t.allocator ? { url: t.allocator.url, timeoutMs: t.allocator.timeoutMs } : null,
  };
}

/** Default deadline of an allocator's answer (api-contract.md §Routing, issue 6 item 5). */
const ALLOCATOR_TIMEOUT_MS = 500;

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
        summary: 'Rename a team, set its business hours, its routing strategy or its external allocator',
        description:
          'Admin only. `businessHours` lists the openings of each weekday in the tenant time zone (`{"mon": [{"from": "08:00", "to": "12:00"}, {"from": "13:00", "to": "17:00"}]}`); a day left out is closed, and tenant holidays are closed. ' +
          'Openings out of order, overlapping or ending before they start are 400 `validation_failed` naming the path. Another tenant’s team is 404 `team_not_found`. ' +
          '`strategy`: `least_busy`, `round_robin` or `skills_weighted`. `allocator: {url, timeoutMs?}` sets an external allocator (default deadline 500 ms) and answers its signing secret once as `allocatorSecret`; `null` removes it.',
        params: IdParams,
        body: TeamPatchBody,
        response: { 200: TeamDto, ...errorResponses(400, ...AUTHED, 404) },
      },
    },
    async (request) => {
      const { tenantId, userId } = request.principal;
      const { name, businessHours, strategy, allocator } = request.body;
      const change: TeamChange = { ...(name !== undefined ? { name } : {}), ...(strategy !== undefined ? { strategy } : {}) };
      if (businessHours !== undefined) change.businessHours = checkedHours(businessHours);
      // A new allocator gets a new secret, shown once; only its sealed form is stored.
      const allocatorSecret = allocator ? randomBytes(32).toString('hex') : undefined;
      if (allocator !== undefined) {
        change.allocator = allocator && { url: allocator.url, timeoutMs: allocator.timeoutMs ?? ALLOCATOR_TIMEOUT_MS, secretEnc: deps.secretBox.seal(allocatorSecret) };
      }
      const team = await deps.db.transaction().execute(async (trx) => {
        const updated = await updateTeam(trx, tenantId, request.params.id, change);
        if (!updated) throw TeamNotFound();
        await recordAudit(trx, tenantId, { actorId: userId, action: 'team.updated', targetType: 'team', targetId: updated.id, details: { changed: Object.keys(change) } });
        return updated;
      });
      request.log.info({ tenantId, teamId: team.id, changed: Object.keys(change) }, 'team updated');
      return { ...toTeamDto(team), ...(allocatorSecret ? { allocatorSecret } : {}) };
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
