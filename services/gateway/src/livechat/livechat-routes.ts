import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AGENT_LINK_TTL_SECONDS, createLocalDiskStore } from '@sapa/attachments';
import type { DB, Kysely } from '@sapa/db';
import { visitorOfConversation } from '@sapa/db/queries/livechat';
import type { EventBus, Producer, Redis } from '@sapa/queue';
import { createTtlCache, type Logger } from '@sapa/service-kit';
import type { OpenedChannel } from '../channels/channel-adapter.js';
import { attachmentAccessFor, type GatewayAttachments } from '../media/gateway-attachments.js';
import { ChannelNotFound } from '../errors.js';
import type { AcceptDeps } from '../inbound/accept-inbound.js';
import type { ChannelLookup } from '../webhooks/channel-lookup.js';
import { isAllowedOrigin } from './allowed-origin.js';
import { createChannelFacts } from './business-hours-banner.js';
import { OriginNotAllowed } from './errors.js';
import { reportLeave } from './leave-rule.js';
import { createLivechatBus } from './livechat-bus.js';
import { livechatSettingsOf } from './livechat-config.js';
import type { LivechatDeps, LivechatOptions } from './livechat-deps.js';
import { DEFAULT_LIVECHAT_RATE_LIMITS } from './visitor-rate-limit.js';
import { LivechatHub } from './livechat-hub.js';
import { registerUploadRoute } from './upload-route.js';
import { createVisitorPresence } from './visitor-presence.js';
import { handleVisitorSocket } from './visitor-session.js';
import { registerDemoPageRoute, registerWidgetRoute } from './widget-route.js';

export interface LivechatRoutesOptions {
  db: Kysely<DB>;
  redis: Redis;
  /** Prefix of Redis keys; not `prefix`, which fastify reads as a route prefix of the plugin. */
  redisPrefix: string;
  producer: Producer;
  accept: AcceptDeps;
  eventBus: EventBus;
  findChannel: ChannelLookup;
  logger: Logger;
  now: () => Date;
  livechat: LivechatOptions;
  /** The gateway's file store and link signer; absent: uploads go to ./.sapa/attachments and files show by name only. */
  attachments?: GatewayAttachments;
  /** The gateway's public base URL, for signed links (read when a link is made). */
  publicUrl: () => string;
}

declare module 'fastify' {
  interface FastifyRequest {
    livechatChannel: OpenedChannel | null;
  }
}

/** Largest frame a visitor may send; a message's text is at most 10,000 characters. */
const MAX_FRAME_BYTES = 64 * 1024;

/**
 * The live chat on the gateway (api-contract.md §Channel types, `livechat`): the widget script, the visitors'
 * socket `GET /livechat/{channelId}/ws` and their upload route. The socket's upgrade and the upload both check the
 * page's `Origin` against the channel's `allowedOrigins` (403 `origin_not_allowed`) before anything else is read.
 */
export async function livechatRoutes(app: FastifyInstance, options: LivechatRoutesOptions): Promise<void> {
  const deps = buildDeps(options);
  app.decorateRequest('livechatChannel', null);
  // Uploads are raw bytes of any type, read by the route itself with a limit; this scope parses no body.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
  await app.register(websocket, { options: { maxPayload: MAX_FRAME_BYTES } });

  app.addHook('onReady', async () => deps.hub.start(deps.eventBus));
  app.addHook('preClose', async () => deps.hub.close());

  const channelOf = async (request: FastifyRequest) => {
    const { channelId } = request.params as { channelId: string };
    const channel = await options.findChannel(channelId);
    if (!channel || channel.row.type !== 'livechat') throw ChannelNotFound();
    request.livechatChannel = channel;
  };
  const originAllowed = async (request: FastifyRequest, reply?: FastifyReply) => {
    const { allowedOrigins } = livechatSettingsOf(request.livechatChannel!.row);
    const origin = request.headers.origin;
    if (!isAllowedOrigin(allowedOrigins, origin)) {
      request.log.info({ tenantId: request.livechatChannel!.row.tenant_id, channelId: request.livechatChannel!.row.id }, 'live chat origin refused');
      throw OriginNotAllowed(undefined, { origin: typeof origin === 'string' ? origin.slice(0, 300) : null });
    }
    // The page may read the answer (its error codes too): this one origin, never `*`.
    void reply?.header('access-control-allow-origin', origin as string).header('vary', 'Origin');
  };

  registerWidgetRoute(app);
  registerDemoPageRoute(app);
  app.route<{ Params: { channelId: string } }>({
    method: 'GET',
    url: '/livechat/:channelId/ws',
    onRequest: [channelOf, originAllowed],
    handler: async (_request, reply) =>
      reply.status(426).header('upgrade', 'websocket').send({ error: { code: 'upgrade_required', message: 'connect with a WebSocket (Upgrade: websocket)' } }),
    wsHandler: (socket, request) => handleVisitorSocket(deps, socket, request.livechatChannel!, request.ip),
  });
  // The browser asks before a cross-origin upload with a token and a file type (CORS preflight).
  app.options<{ Params: { channelId: string } }>('/livechat/:channelId/attachments', { onRequest: [channelOf, originAllowed] }, async (_request, reply) =>
    reply
      .status(204)
      .header('access-control-allow-methods', 'POST')
      .header('access-control-allow-headers', 'authorization, content-type, x-filename')
      .header('access-control-max-age', '600')
      .send(),
  );
  registerUploadRoute(app, deps, { onRequest: [channelOf, originAllowed] });
}

function buildDeps(options: LivechatRoutesOptions): LivechatDeps {
  const bus = createLivechatBus(options.redis, options.redisPrefix);
  const pingIntervalMs = options.livechat.pingIntervalMs ?? 25_000;
  const presence = createVisitorPresence(options.redis, options.redisPrefix, 3 * pingIntervalMs);
  // A conversation's contact never changes, so who is behind it is kept as long as there is room.
  const visitors = createTtlCache(async (key: string) => {
    const [tenantId, conversationId] = key.split('/') as [string, string];
    return (await visitorOfConversation(options.db, tenantId, conversationId))?.visitorId;
  }, 3600_000);
  const attachments = options.attachments;
  const leaveDeps = { db: options.db, redis: options.redis, prefix: options.redisPrefix, producer: options.producer };
  const hub = new LivechatHub({
    logger: options.logger,
    bus,
    presence,
    pingIntervalMs,
    leaveGraceMs: options.livechat.leaveGraceMs ?? 5000,
    visitorOfConversation: (tenantId, conversationId) => visitors.get(`${tenantId}/${conversationId}`),
    onVisitorGone: async (entry, at) => {
      const tenantId = (await options.findChannel(entry.channelId))?.row.tenant_id;
      if (!tenantId) return;
      const outcome = await reportLeave(leaveDeps, { tenantId, channelId: entry.channelId, visitorId: entry.visitorId }, at);
      options.logger.info({ tenantId, channelId: entry.channelId, outcome }, 'live chat visitor left');
    },
  });
  return {
    db: options.db,
    redis: options.redis,
    prefix: options.redisPrefix,
    producer: options.producer,
    accept: options.accept,
    eventBus: options.eventBus,
    bus,
    hub,
    channelFacts: createChannelFacts(options.db),
    store: attachments?.store ?? createLocalDiskStore('./.sapa/attachments'),
    rateLimits: { ...DEFAULT_LIVECHAT_RATE_LIMITS, ...options.livechat.rateLimits },
    linkOf:
      attachments &&
      ((tenantId, attachmentId) =>
        attachmentAccessFor({ db: options.db, store: attachments.store, signingKey: attachments.signingKey, publicUrl: () => attachments.publicUrl ?? options.publicUrl() }, tenantId).signedUrl(
          attachmentId,
          AGENT_LINK_TTL_SECONDS,
        )),
    logger: options.logger,
    now: options.now,
  };
}
