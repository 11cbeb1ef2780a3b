import websocket from '@fastify/websocket';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { readinessChecks } from '@sapa/db';
import { createHttpServer } from '@sapa/service-kit';
import { authPlugin } from './auth/auth-plugin.js';
import { DEFAULT_PUBLIC_WEBHOOK_URL } from './config.js';
import type { InboxApiDeps, InboxApiOptions } from './deps.js';
import { attachLiveHub } from './live/attach-live-hub.js';
import { registerOpenApi } from './openapi/register-openapi.js';
import { defaultInboxFiles } from './attachments/default-files.js';
import { attachmentContentRoutes } from './routes/attachment-content.js';
import { attachmentRoutes } from './routes/attachments.js';
import { agentRoutes } from './routes/agents.js';
import { apiTokenRoutes } from './routes/api-tokens.js';
import { authRoutes } from './routes/auth.js';
import { callRoutes } from './routes/calls.js';
import { channelPairingRoutes } from './routes/channel-pairing.js';
import { channelRoutes } from './routes/channels.js';
import { contactRoutes } from './routes/contacts.js';
import { conversationCommandRoutes } from './routes/conversation-commands.js';
import { conversationRoutes } from './routes/conversations.js';
import { deliveryRoutes } from './routes/deliveries.js';
import { quarantineRoutes } from './routes/quarantine.js';
import { holdRoutes } from './routes/hold.js';
import { holidayRoutes } from './routes/holidays.js';
import { phaseRoutes } from './routes/phases.js';
import { playbookRoutes } from './routes/playbooks.js';
import { qcScoreRoutes } from './routes/qc-scores.js';
import { queueRoutes } from './routes/queues.js';
import { replyRoutes } from './routes/replies.js';
import { typingRoutes } from './routes/typing.js';
import { reportRoutes } from './routes/reports.js';
import { routingRuleRoutes } from './routes/routing-rules.js';
import { streamRoutes } from './routes/stream.js';
import { suggestionRoutes } from './routes/suggestions.js';
import { tenantSettingsRoutes } from './routes/tenant-settings.js';
import { teamRoutes } from './routes/teams.js';
import { ticketWorkRoutes } from './routes/ticket-work.js';
import { ticketRoutes } from './routes/tickets.js';

const TWELVE_HOURS = 12 * 3600;

/**
 * The inbox API as a fastify instance, not yet listening: tests drive it with `inject`, `startInboxApi`
 * puts it on a port. Closing it closes the sockets and the event subscription, not the deps it was given.
 */
export function buildInboxApi(deps: InboxApiDeps, options: InboxApiOptions = {}): FastifyInstance {
  const app = createHttpServer({
    logger: deps.logger,
    metrics: deps.metrics,
    readiness: readinessChecks(deps.db, deps.redis),
  }).withTypeProvider<TypeBoxTypeProvider>();

  const routeOptions = { deps, now: options.now ?? (() => new Date()), slaMinuteMs: options.slaMinuteMs ?? 60_000, files: deps.files ?? defaultInboxFiles() };
  void app.register(async (root) => {
    await registerOpenApi(root);
    const hub = attachLiveHub(root, deps, { pingIntervalMs: options.pingIntervalMs ?? 30_000, idleSweepMs: options.idleSweepMs ?? 15_000 });
    await root.register(websocket, { options: { maxPayload: 64 * 1024 } });
    await root.register(authPlugin, { db: deps.db });
    await root.register(authRoutes, { ...routeOptions, sessionTtlSeconds: options.sessionTtlSeconds ?? TWELVE_HOURS });
    await root.register(apiTokenRoutes, routeOptions);
    await root.register(channelRoutes, {
      ...routeOptions,
      activation: {
        publicWebhookUrl: (options.publicWebhookUrl ?? DEFAULT_PUBLIC_WEBHOOK_URL).replace(/\/+$/, ''),
        timeoutMs: options.activationTimeoutMs ?? 10_000,
      },
    });
    await root.register(channelPairingRoutes, routeOptions);
    await root.register(agentRoutes, routeOptions);
    await root.register(conversationRoutes, routeOptions);
    await root.register(replyRoutes, routeOptions);
    await root.register(typingRoutes, routeOptions);
    await root.register(attachmentRoutes, routeOptions);
    await root.register(attachmentContentRoutes, routeOptions);
    await root.register(conversationCommandRoutes, routeOptions);
    await root.register(holdRoutes, routeOptions);
    await root.register(deliveryRoutes, routeOptions);
    await root.register(quarantineRoutes, routeOptions);
    await root.register(tenantSettingsRoutes, routeOptions);
    await root.register(holidayRoutes, routeOptions);
    await root.register(phaseRoutes, routeOptions);
    await root.register(callRoutes, routeOptions);
    await root.register(suggestionRoutes, routeOptions);
    await root.register(playbookRoutes, routeOptions);
    await root.register(contactRoutes, routeOptions);
    await root.register(teamRoutes, routeOptions);
    await root.register(ticketRoutes, routeOptions);
    await root.register(ticketWorkRoutes, routeOptions);
    await root.register(qcScoreRoutes, routeOptions);
    await root.register(reportRoutes, routeOptions);
    await root.register(queueRoutes, routeOptions);
    await root.register(routingRuleRoutes, routeOptions);
    await root.register(streamRoutes, { ...routeOptions, hub });
  });
  return app;
}
