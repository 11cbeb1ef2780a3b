import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DeliveryDto, DeliveryListQuery, DeliveryPage } from '@sapa/contracts';
import { recordAudit } from '@sapa/db/queries/audit-log';
import { findChannel } from '@sapa/db/queries/channels';
import { findDelivery, listDeliveries, prepareReplay } from '@sapa/db/queries/deliveries';
import { outboundQueueFor } from '@sapa/queue';
import { requireRole } from '../auth/auth-plugin.js';
import { toDeliveryDto } from '../dto/delivery-dto.js';
import { ChannelCannotSend, DeliveryNotFailed, DeliveryNotFound } from '../errors.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import { IdParams, type RouteOptions } from './route-deps.js';

/** The dead-letter list of outbound deliveries and its replay (admin; api-contract.md §Generic API channel). */
export const deliveryRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.addHook('onRequest', app.authenticate);
  app.addHook('onRequest', requireRole('admin'));

  app.get(
    '/v1/deliveries',
    {
      schema: {
        tags: ['deliveries'],
        summary: 'Outbound deliveries, newest first; `status=failed` is the dead-letter list',
        querystring: DeliveryListQuery,
        response: { 200: DeliveryPage, ...errorResponses(400, ...AUTHED) },
      },
    },
    async (request) => {
      const { status, cursor, limit = 50 } = request.query;
      const page = await listDeliveries(deps.db, request.principal.tenantId, { status, cursor, limit });
      return { items: page.items.map(toDeliveryDto), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/v1/deliveries/:id/retry',
    {
      schema: {
        tags: ['deliveries'],
        summary: 'Replay a failed delivery (same X-Sapa-Delivery id, fresh attempts)',
        description: 'Only a `failed` delivery can be replayed (else 409 `delivery_not_failed`).',
        params: IdParams,
        response: { 202: DeliveryDto, ...errorResponses(400, ...AUTHED, 404, 409) },
      },
    },
    async (request, reply) => {
      const { tenantId, userId } = request.principal;
      const existing = await findDelivery(deps.db, tenantId, request.params.id);
      if (!existing) throw DeliveryNotFound();
      const channel = await findChannel(deps.db, tenantId, existing.channel_id);
      const queue = channel ? outboundQueueFor(channel.type) : undefined;
      if (!queue) throw ChannelCannotSend(undefined, { channelType: channel?.type ?? null });
      const replayed = await deps.db.transaction().execute(async (trx) => {
        const row = await prepareReplay(trx, tenantId, existing.id);
        if (row) {
          await recordAudit(trx, tenantId, { actorId: userId, action: 'delivery.replayed', targetType: 'delivery', targetId: row.id, details: { replay: row.replays } });
        }
        return row;
      });
      if (!replayed) throw DeliveryNotFailed(undefined, { status: existing.status });
      const jobId = await deps.producer.add(queue, { tenantId, deliveryId: replayed.id, messageId: replayed.message_id, replay: replayed.replays });
      request.log.info({ tenantId, deliveryId: replayed.id, jobId }, 'delivery replayed');
      return reply.status(202).send(toDeliveryDto(replayed));
    },
  );
};
