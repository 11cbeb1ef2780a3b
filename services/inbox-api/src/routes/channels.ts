import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ChannelList, CreateChannelBody, CreatedChannel } from '@sapa/contracts';
import { recordAudit } from '@sapa/db/queries/audit-log';
import { insertChannel, listChannels } from '@sapa/db/queries/channels';
import { findTeam } from '@sapa/db/queries/teams';
import { requireRole } from '../auth/auth-plugin.js';
import { webhookUrlOf, type ActivationContext } from '../channels/channel-setup.js';
import { CHANNEL_SETUPS } from '../channels/channel-setups.js';
import { toChannelSummary } from '../dto/channel-dto.js';
import { ChannelTypeNotSupported, TeamNotFound } from '../errors.js';
import { AUTHED, errorResponses } from '../openapi/error-responses.js';
import type { RouteOptions } from './route-deps.js';

export interface ChannelRouteOptions extends RouteOptions {
  activation: ActivationContext;
}

/** `POST /v1/channels` and `GET /v1/channels` (admin; api-contract.md §Channels). */
export const channelRoutes: FastifyPluginAsyncTypebox<ChannelRouteOptions> = async (app, { deps, activation }) => {
  app.addHook('onRequest', app.authenticate);
  app.addHook('onRequest', requireRole('admin'));

  app.post(
    '/v1/channels',
    {
      schema: {
        tags: ['channels'],
        summary: "Create a channel; an api channel's signing secret is in this answer only",
        description:
          'A `telegram` channel sets its bot\'s webhook (setWebhook) before the channel is committed; when Telegram refuses or cannot be reached the answer is 502 `channel_activation_failed` with `details.description`, and no channel is created.',
        body: CreateChannelBody,
        response: { 201: CreatedChannel, ...errorResponses(400, ...AUTHED, 404, 502) },
      },
    },
    async (request, reply) => {
      const { tenantId, userId } = request.principal;
      const { type, name, teamId, config } = request.body;
      const setup = CHANNEL_SETUPS[type];
      if (!setup) throw ChannelTypeNotSupported(`channels of type ${type} cannot be created yet`, { type });
      const prepared = setup.prepare(config);
      if (teamId && !(await findTeam(deps.db, tenantId, teamId))) throw TeamNotFound(undefined, { teamId });
      const channel = await deps.db.transaction().execute(async (trx) => {
        const row = await insertChannel(trx, tenantId, {
          type,
          name,
          teamId: teamId ?? null,
          config: prepared.config,
          secretsEnc: prepared.secrets ? deps.secretBox.seal(prepared.secrets) : null,
          ...(prepared.status ? { status: prepared.status } : {}),
        });
        await recordAudit(trx, tenantId, { actorId: userId, action: 'channel.created', targetType: 'channel', targetId: row.id, details: { type, name, teamId: teamId ?? null } });
        // Inside the transaction: the provider needs the channel's id (its webhook URL), and a refusal rolls the
        // row back, so a channel exists only once its provider knows about it. The price is one connection held
        // for the provider's answer (timeoutMs at most), on a rare admin action.
        await setup.activate?.({ ...prepared, id: row.id }, activation);
        return row;
      });
      request.log.info({ tenantId, channelId: channel.id, type }, 'channel created');
      return reply.status(201).send({
        ...toChannelSummary(channel),
        createdAt: channel.created_at.toISOString(),
        ...(prepared.secretShownOnce ? { secret: prepared.secretShownOnce } : {}),
        ...(setup.webhookSegment ? { webhookUrl: webhookUrlOf(setup, channel.id, activation.publicWebhookUrl) } : {}),
      });
    },
  );

  app.get(
    '/v1/channels',
    { schema: { tags: ['channels'], summary: "The tenant's channels, never with secrets", response: { 200: ChannelList, ...errorResponses(...AUTHED) } } },
    async (request) => {
      const channels = await listChannels(deps.db, request.principal.tenantId);
      return { items: channels.map(toChannelSummary) };
    },
  );
};
