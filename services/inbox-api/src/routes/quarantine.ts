import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { QuarantinedDto, QuarantineListQuery, QuarantinePage } from '@sapa/contracts';
import { recordAudit } from '@sapa/db/queries/audit-log';
import { findQuarantined, listQuarantine, resolveQuarantined } from '@sapa/db/queries/inbound-quarantine';
import { requireRole } from '../auth/auth-plugin.js';
import { QuarantinedNotFound, QuarantinedResolved } from '../errors.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import { IdParams, type RouteOptions } from './route-deps.js';

type Row = Awaited<ReturnType<typeof listQuarantine>>[number];

const toDto = (row: Row): QuarantinedDto => ({
  id: row.id,
  channelId: row.channel_id,
  source: row.source,
  reason: row.reason,
  details: row.details,
  size: row.size,
  createdAt: row.created_at.toISOString(),
  resolvedAt: row.resolved_at?.toISOString() ?? null,
});

/**
 * The inbound quarantine (admin): what a channel received and could not read — a mail mailparser refused, an AMI frame
 * out of shape, a live chat frame that was no JSON — kept, never dropped. An admin lists it, downloads an item's bytes
 * to look at or feed back by hand, and marks it resolved.
 */
export const quarantineRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.addHook('onRequest', app.authenticate);
  app.addHook('onRequest', requireRole('admin'));

  app.get(
    '/v1/quarantine',
    {
      schema: {
        tags: ['quarantine'],
        summary: 'What channels received and could not read, newest first (`state=open` by default)',
        querystring: QuarantineListQuery,
        response: { 200: QuarantinePage, ...errorResponses(400, ...AUTHED) },
      },
    },
    async (request) => {
      const { state = 'open', limit = 50 } = request.query;
      const rows = await listQuarantine(deps.db, request.principal.tenantId, { state, limit });
      return { items: rows.map(toDto) };
    },
  );

  app.get(
    '/v1/quarantine/:id/payload',
    {
      schema: {
        tags: ['quarantine'],
        summary: 'The bytes exactly as received (a whole mail, a frame), as an attachment',
        params: IdParams,
        response: {
          200: { description: 'the bytes as received', content: { 'application/octet-stream': { schema: Type.String({ format: 'binary' }) } } },
          ...errorResponses(400, ...AUTHED, 404),
        },
      },
    },
    async (request, reply) => {
      const row = await findQuarantined(deps.db, request.principal.tenantId, request.params.id);
      if (!row) throw QuarantinedNotFound();
      return reply
        .type('application/octet-stream')
        .header('content-disposition', `attachment; filename="quarantine-${row.id}.bin"`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        // The 200 schema documents bytes as a binary string; fastify sends a Buffer as it is.
        .send(row.payload as unknown as string);
    },
  );

  app.post(
    '/v1/quarantine/:id/resolve',
    {
      schema: {
        tags: ['quarantine'],
        summary: 'Mark an item looked at; it stays kept for the record',
        params: IdParams,
        response: { 200: QuarantinedDto, ...errorResponses(400, ...AUTHED, 404, 409) },
      },
    },
    async (request) => {
      const { tenantId, userId } = request.principal;
      const existing = await findQuarantined(deps.db, tenantId, request.params.id);
      if (!existing) throw QuarantinedNotFound();
      const resolved = await deps.db.transaction().execute(async (trx) => {
        const row = await resolveQuarantined(trx, tenantId, existing.id);
        if (row) await recordAudit(trx, tenantId, { actorId: userId, action: 'quarantine.resolved', targetType: 'inbound_quarantine', targetId: row.id, details: { source: row.source } });
        return row;
      });
      if (!resolved) throw QuarantinedResolved(undefined, { resolvedAt: existing.resolved_at?.toISOString() ?? null });
      return toDto(resolved);
    },
  );
};
