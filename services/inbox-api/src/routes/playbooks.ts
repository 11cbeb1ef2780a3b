import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PlaybookDocument, PlaybookList, PlaybookParams, PlaybookQuery, PublishPlaybooksBody, PublishPlaybooksResult } from '@sapa/contracts';
import { recordAudit } from '@sapa/db/queries/audit-log';
import { findPlaybook, listPlaybooks, publishPlaybooks } from '@sapa/db/queries/playbooks';
import { listTeams } from '@sapa/db/queries/teams';
import { validatePlaybooks } from '@sapa/handling';
import { requireRole } from '../auth/auth-plugin.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import { InvalidPlaybooks, PlaybookNotFound } from '../errors.js';
import type { RouteOptions } from './route-deps.js';

/**
 * The tenant's playbooks (api-contract.md §Playbooks and tickets): the complaint SOP as data. Everyone of the
 * tenant reads them (agents follow them, QC scores against them); only admins publish, and a publish adds
 * versions, never rewrites one, so a ticket keeps reading the version it started with.
 */
export const playbookRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.addHook('onRequest', app.authenticate);

  app.get(
    '/v1/playbooks',
    {
      schema: {
        tags: ['playbooks'],
        summary: 'The playbooks in force: the newest version of each key',
        response: { 200: PlaybookList, ...errorResponses(...AUTHED) },
      },
    },
    async (request) => ({ items: await listPlaybooks(deps.db, request.principal.tenantId) }),
  );

  app.get(
    '/v1/playbooks/:key',
    {
      schema: {
        tags: ['playbooks'],
        summary: 'One whole playbook: the newest version, or `?version=N`',
        description: 'A ticket reads the version it started with through `?version=`. An unknown key or version is 404 `playbook_not_found`.',
        params: PlaybookParams,
        querystring: PlaybookQuery,
        response: { 200: PlaybookDocument, ...errorResponses(400, ...AUTHED, 404) },
      },
    },
    async (request) => {
      const playbook = await findPlaybook(deps.db, request.principal.tenantId, request.params.key, request.query.version);
      if (!playbook) throw PlaybookNotFound();
      return playbook;
    },
  );

  app.put(
    '/v1/playbooks',
    {
      onRequest: requireRole('admin'),
      schema: {
        tags: ['playbooks'],
        summary: 'Publish playbooks: a new version of each one that changed',
        description:
          'Admin only. The body is validated as a whole by the playbook schema (`validatePlaybooks` of @sapa/handling, every dispatch team among the tenant\'s team keys): ' +
          'any problem is 400 `invalid_playbooks` with `details.errors` listing every `{path, message}`, and nothing is published. ' +
          'Otherwise, in one transaction, each playbook whose body differs from its newest version gets version max+1 (a new key version 1); an unchanged one keeps its version. ' +
          'A key absent from the body is NOT deleted: it stays in force at its newest version (tickets point at versions). Audit-logged.',
        body: PublishPlaybooksBody,
        response: { 200: PublishPlaybooksResult, ...errorResponses(400, ...AUTHED) },
      },
    },
    async (request) => {
      const { tenantId, userId } = request.principal;
      const teamKeys = (await listTeams(deps.db, tenantId)).map((t) => t.key);
      const checked = validatePlaybooks(request.body, { teamKeys });
      if (!checked.ok) {
        throw InvalidPlaybooks(`invalid playbooks (${checked.errors.length} problem(s)): ${checked.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, {
          errors: checked.errors,
        });
      }
      const result = await deps.db.transaction().execute(async (trx) => {
        const out = await publishPlaybooks(trx, tenantId, checked.file.items, userId);
        await recordAudit(trx, tenantId, {
          actorId: userId,
          action: 'playbooks.published',
          targetType: 'tenant',
          targetId: tenantId,
          details: { published: out.published.map((p) => ({ key: p.key, version: p.version })), unchanged: checked.file.items.length - out.published.length },
        });
        return out;
      });
      request.log.info({ tenantId, published: result.published.length, total: result.items.length }, 'playbooks published');
      return result;
    },
  );
};
