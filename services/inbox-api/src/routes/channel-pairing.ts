import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ChannelPairing, type ChannelStatus } from '@sapa/contracts';
import { findChannel } from '@sapa/db/queries/channels';
import { readWhatsappPairing } from '@sapa/db/queries/whatsapp-sessions';
import { requireRole } from '../auth/auth-plugin.js';
import { ChannelNotFound, PairingNotSupported } from '../errors.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import { IdParams, type RouteOptions } from './route-deps.js';

/**
 * `GET /v1/channels/{id}/pairing` (admin; api-contract.md §Channel types, `whatsapp_baileys`): how far linking the
 * number is. The QR and pairing code are written by the WhatsApp service that holds the number, sealed; they are
 * shown only while the channel is `pairing` and they are fresh (WhatsApp renews the QR every 20 s, and so does the
 * `channel.pairing` live event).
 */
export const channelPairingRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps, now }) => {
  app.addHook('onRequest', app.authenticate);
  app.addHook('onRequest', requireRole('admin'));

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
      const channel = await findChannel(deps.db, tenantId, request.params.id);
      if (!channel) throw ChannelNotFound(undefined, { channelId: request.params.id });
      if (channel.type !== 'whatsapp_baileys') throw PairingNotSupported(undefined, { type: channel.type });
      const status = channel.status as ChannelStatus;
      if (status !== 'pairing') return { status };
      const sealed = await readWhatsappPairing(deps.db, tenantId, channel.id, now());
      const shown = sealed ? deps.secretBox.open<{ qr?: string; pairingCode?: string }>(sealed) : {};
      return { status, ...(shown.qr && { qr: shown.qr }), ...(shown.pairingCode && { pairingCode: shown.pairingCode }) };
    },
  );
};
