import type { FastifyInstance } from 'fastify';
import type { DB, Kysely, SecretBox } from '@sapa/db';
import { readinessChecks } from '@sapa/db';
import { createEventBus, createProducer, reportQueueDepths, type EventBus, type Producer, type Redis } from '@sapa/queue';
import { createHttpServer, type Logger, type Metrics } from '@sapa/service-kit';
import { livechatRoutes } from './livechat/livechat-routes.js';
import type { LivechatOptions } from './livechat/livechat-deps.js';
import { attachmentRoute } from './media/attachment-route.js';
import type { GatewayAttachments } from './media/gateway-attachments.js';
import { outboundQueues } from './outbound/outbound-queues.js';
import { createChannelLookup } from './webhooks/channel-lookup.js';
import { webhookRoutes } from './webhooks/webhook-routes.js';

export interface GatewayAppDeps {
  db: Kysely<DB>;
  /** BullMQ connection (maxRetriesPerRequest null); also holds the seen-ids record. */
  redis: Redis;
  /** Prefix of every Redis key (queues, seen ids, locks). */
  prefix: string;
  secretBox: SecretBox;
  logger: Logger;
  metrics: Metrics;
  /** Where inbound jobs go; by default one made on `redis` + `prefix` and closed with the app. */
  producer?: Producer;
  /** Where `message.updated` for channel receipts goes; by default one publishing on `redis` + `prefix`. */
  eventBus?: EventBus;
  /** How long a webhook's channel (and its opened secret) is reused before it is read again (default 5 s). */
  channelCacheMs?: number;
  /** Longest wait for Redis to hold an inbound job before answering 503 (default 5 s). */
  enqueueTimeoutMs?: number;
  /** The clock signatures are checked against (default: the system clock). */
  now?: () => Date;
  /** Where customers' files are kept (@sapa/attachments); absent: inbound files stay links, stored ones cannot be sent. */
  attachments?: GatewayAttachments;
  /** The live chat's tunables (leave grace, keepalive); src/livechat/. */
  livechat?: LivechatOptions;
  /**
   * Which proxies' X-Forwarded-For to believe (fastify's trustProxy: true, or addresses/CIDRs), so the
   * live chat's per-address limits see visitors, not the load balancer. Default: none.
   */
  trustProxy?: boolean | string[];
}

/** The gateway's HTTP app: channel webhooks plus /healthz, /readyz (Postgres, Redis) and /metrics. Not listening yet. */
export async function buildGatewayApp(deps: GatewayAppDeps): Promise<FastifyInstance> {
  const producer = deps.producer ?? createProducer(deps.redis, deps.prefix);
  const app = createHttpServer({
    logger: deps.logger,
    metrics: deps.metrics,
    readiness: readinessChecks(deps.db, deps.redis),
    fastify: { trustProxy: deps.trustProxy ?? false },
  });
  reportQueueDepths(deps.metrics, producer, ['inbound', ...outboundQueues()]);
  const accept = { redis: deps.redis, prefix: deps.prefix, producer, logger: deps.logger, enqueueTimeoutMs: deps.enqueueTimeoutMs ?? 5000 };
  const findChannel = createChannelLookup(deps.db, deps.secretBox, deps.channelCacheMs ?? 5000);
  const eventBus = deps.eventBus ?? createEventBus(deps.redis, deps.prefix);
  await app.register(webhookRoutes, {
    accept,
    findChannel,
    receipts: { db: deps.db, eventBus, logger: deps.logger },
    now: deps.now ?? (() => new Date()),
  });
  await app.register(livechatRoutes, {
    db: deps.db, redis: deps.redis, redisPrefix: deps.prefix, producer, accept, eventBus, findChannel, logger: deps.logger,
    now: deps.now ?? (() => new Date()),
    livechat: deps.livechat ?? {},
    ...(deps.attachments && { attachments: deps.attachments }),
    publicUrl: () => listeningUrl(app),
  });
  if (deps.attachments) {
    await app.register(attachmentRoute, { db: deps.db, store: deps.attachments.store, signingKey: deps.attachments.signingKey, now: deps.now ?? (() => new Date()) });
  }
  if (!deps.producer) app.addHook('onClose', () => producer.close());
  return app;
}

/** Where this app listens, as a base URL (links when no public URL is configured). */
function listeningUrl(app: FastifyInstance): string {
  const address = app.server.address();
  return address && typeof address === 'object' ? `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}` : 'http://127.0.0.1';
}
