import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { TenantSettings, TenantSettingsPatch } from '@sapa/contracts';
import { recordAudit } from '@sapa/db/queries/audit-log';
import { getTenantSettings, patchTenantSettings } from '@sapa/db/queries/tenant-settings';
import { validateSettingsPatch } from '@sapa/handling';
import { NotFound } from '@sapa/service-kit';
import { requireRole } from '../auth/auth-plugin.js';
import { ValidationFailed } from '../errors.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import type { RouteOptions } from './route-deps.js';

/**
 * `GET`/`PATCH /v1/tenant/settings` (api-contract.md §Tenant settings). Admins change them; team leaders and QC
 * may read them too (they coach agents on the texts and timings); agents get their texts filled through
 * `/v1/conversations/{id}/suggestions` instead.
 */
export const tenantSettingsRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.addHook('onRequest', app.authenticate);

  app.get(
    '/v1/tenant/settings',
    {
      onRequest: requireRole('admin', 'team_leader', 'quality_control'),
      schema: {
        tags: ['tenant'],
        summary: "The tenant's handling settings, defaults filled in",
        description: 'Admins, team leaders and QC (else 403).',
        response: { 200: TenantSettings, ...errorResponses(...AUTHED) },
      },
    },
    async (request) => getTenantSettings(deps.db, request.principal.tenantId),
  );

  app.patch(
    '/v1/tenant/settings',
    {
      onRequest: requireRole('admin'),
      // One check, with every bad field named by its path (`inactivity.closeSeconds`), before the schema's.
      preValidation: async (request) => {
        const result = validateSettingsPatch(request.body);
        if (!result.ok) throw ValidationFailed(`invalid settings: ${result.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, { errors: result.errors });
      },
      schema: {
        tags: ['tenant'],
        summary: 'Change any subset of the settings; answers the whole settings',
        description:
          'Admin only. An unknown key, an unknown IANA time zone, a duration outside 1..86400 seconds or a template with an unknown placeholder is 400 `validation_failed`, `details.errors` naming each path; nothing changes. Audit-logged.',
        body: TenantSettingsPatch,
        response: { 200: TenantSettings, ...errorResponses(400, ...AUTHED) },
      },
    },
    async (request) => {
      const { tenantId, userId } = request.principal;
      const patch = request.body;
      const settings = await deps.db.transaction().execute(async (trx) => {
        const next = await patchTenantSettings(trx, tenantId, patch);
        if (next) await recordAudit(trx, tenantId, { actorId: userId, action: 'tenant_settings.changed', targetType: 'tenant', targetId: tenantId, details: { patch } });
        return next;
      });
      if (!settings) throw NotFound('the tenant of this token no longer exists');
      request.log.info({ tenantId, keys: Object.keys(patch) }, 'tenant settings changed');
      return settings;
    },
  );
};
