import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ChannelPairing, type ChannelStatus } from '@sapa/contracts';
import { findChannel } from '@sapa/db/queries/channels';
import { recordAudit } from '@sapa/db/queries/audit-log';
import { forgetWhatsappSession, readWhatsappPairing, setWhatsappChannelStatus } from '@sapa/db/queries/whatsapp-sessions';
import { requireRole } from '../auth/auth-plugin.js';
import { ChannelNotFound, PairingInProgress, PairingNotSupported } from '../errors.js';
import { publishAll } from '../live/domain-events.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import { IdParams, type RouteOptions } from './route-deps.js';

/**
 * `GET /v1/channels/{id}/pairing` (admin; api-contract.md §Channel types, `whatsapp_baileys`): how far linking the
 * number is. The QR and pairing code are written by the WhatsApp service that holds the number, sealed; they are
 * shown only while the channel is `pairing` and they are fresh (WhatsApp renews the QR every 20 s, and so does the
 * `channel.pairing` live event). `POST` pairs a number again; `DELETE` unlinks it.
 */
export const channelPairingRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps, now }) => {
  app.addHook('onRequest', app.authenticate);
  app.addHook('onRequest', requireRole('admin'));

  /** The tenant's channel `id`, which must be a Baileys number: 404 when there is none, 409 for another type. */
  const baileysChannel = async (tenantId: string, id: string) => {
    const channel = await findChannel(deps.db, tenantId, id);
    if (!channel) throw ChannelNotFound(undefined, { channelId: id });
    if (channel.type !== 'whatsapp_baileys') throw PairingNotSupported(undefined, { type: channel.type });
    return channel;
  };

  app.get(
    '/v1/channels/:id/pairing',
    {
      schema: {
        tags: ['channels'],
        summary: 'The pairing of a WhatsApp (Baileys) number: status, and the QR (PNG data URL) or pairing code while pairing',
        params: IdParams,
        response: { 200: ChannelPairing, ...errorResponses(400, ...AUTHED, 404, 409) },
      },
    },
    async (request) => {
      const { tenantId } = request.principal;
      const channel = await baileysChannel(tenantId, request.params.id);
      const status = channel.status as ChannelStatus;
      if (status !== 'pairing') return { status };
      const sealed = await readWhatsappPairing(deps.db, tenantId, channel.id, now());
      const shown = sealed ? deps.secretBox.open<{ qr?: string; pairingCode?: string }>(sealed) : {};
      return { status, ...(shown.qr && { qr: shown.qr }), ...(shown.pairingCode && { pairingCode: shown.pairingCode }) };
    },
  );

  app.post(
    '/v1/channels/:id/pairing',
    {
      schema: {
        tags: ['channels'],
        summary: 'Pair a WhatsApp (Baileys) number again after a logout on the phone or a ban: the channel goes back to `pairing`',
        description:
          'The WhatsApp service that picks the number up shows a new QR (or pairing code) on `GET /v1/channels/{id}/pairing` and as `channel.pairing` on `/v1/stream`. A number that is pairing or linked already is left alone (409).',
        params: IdParams,
        response: { 202: ChannelPairing, ...errorResponses(400, ...AUTHED, 404, 409) },
      },
    },
    async (request, reply) => {
      const { tenantId, userId } = request.principal;
      const channel = await baileysChannel(tenantId, request.params.id);
      if (channel.status === 'pairing' || channel.status === 'active') throw PairingInProgress(undefined, { status: channel.status });
      await deps.db.transaction().execute(async (trx) => {
        await setWhatsappChannelStatus(trx, tenantId, channel.id, 'pairing');
        await recordAudit(trx, tenantId, { actorId: userId, action: 'channel.pairing_restarted', targetType: 'channel', targetId: channel.id, details: { from: channel.status } });
      });
      request.log.info({ tenantId, channelId: channel.id, from: channel.status }, 'pairing restarted');
      return reply.status(202).send({ status: 'pairing' as const });
    },
  );

  app.delete(
    '/v1/channels/:id/pairing',
    {
      schema: {
        tags: ['channels'],
        summary: 'Unlink a WhatsApp (Baileys) number from Sapa: the device is logged out, its keys forgotten, the channel `disconnected`',
        description:
          'The WhatsApp service holding the number logs the device out (it leaves the phone\'s Linked devices) within a few seconds, hence 202; the stored credentials and keys are deleted at once, and admins get `channel.pairing` with `{status: "disconnected", reason: "unlinked"}` on `/v1/stream`. A number that is not linked is forgotten all the same; unlinking twice is harmless. `POST` pairs it again.',
        params: IdParams,
        response: { 202: ChannelPairing, ...errorResponses(400, ...AUTHED, 404, 409) },
      },
    },
    async (request, reply) => {
      const { tenantId, userId } = request.principal;
      const channel = await baileysChannel(tenantId, request.params.id);
      // The holder sees `disconnected` on its next scan and logs the device out (services/whatsapp session-manager.ts),
      // the same way POST reaches it through `pairing`; the state is forgotten here too, in case no replica holds it.
      const changed = await deps.db.transaction().execute(async (trx) => {
        await forgetWhatsappSession(trx, tenantId, channel.id);
        const moved = await setWhatsappChannelStatus(trx, tenantId, channel.id, 'disconnected');
        if (moved) await recordAudit(trx, tenantId, { actorId: userId, action: 'channel.unlinked', targetType: 'channel', targetId: channel.id, details: { from: channel.status } });
        return moved;
      });
      if (changed) {
        request.log.info({ tenantId, channelId: channel.id, from: channel.status }, 'WhatsApp number unlinked');
        await publishAll(deps.eventBus, request.log, [
          { type: 'channel.pairing', tenantId, audience: { roles: ['admin'] }, data: { channelId: channel.id, status: 'disconnected', reason: 'unlinked' } },
        ]);
      }
      return reply.status(202).send({ status: 'disconnected' as const });
    },
  );
};
