import type { FastifyInstance } from 'fastify';
import { Gauge } from 'prom-client';
import { findPrincipalByTokenHash } from '@sapa/db/queries/auth-tokens';
import type { Metrics } from '@sapa/service-kit';
import type { InboxApiDeps } from '../deps.js';
import { createSocketHub, type SocketHub } from './socket-hub.js';

/**
 * The app's socket hub, tied to its lifecycle: one event-bus subscription per app once it is ready, every
 * socket closed with 1001 on shutdown, the subscription dropped on close. Call it before registering
 * @fastify/websocket, so this preClose runs first and sockets get a proper close code.
 */
export function attachLiveHub(app: FastifyInstance, deps: InboxApiDeps, pingIntervalMs: number): SocketHub {
  const connections = connectionsGauge(deps.metrics);
  const hub = createSocketHub({
    logger: deps.logger,
    pingIntervalMs,
    stillValid: async (p) => (await findPrincipalByTokenHash(deps.db, p.tokenHash)) !== undefined,
    onCount: (delta) => connections.inc(delta),
  });
  let unsubscribe: (() => Promise<void>) | undefined;
  app.addHook('onReady', async () => {
    unsubscribe = await deps.eventBus.subscribe((event) => hub.dispatch(event));
  });
  app.addHook('preClose', async () => hub.close());
  app.addHook('onClose', async () => {
    await unsubscribe?.();
  });
  return hub;
}

const GAUGE = 'sapa_websocket_connections';

// One gauge per registry: two apps sharing a registry (tests) add up into it instead of clashing.
function connectionsGauge(metrics: Metrics): Gauge {
  const existing = metrics.registry.getSingleMetric(GAUGE);
  if (existing instanceof Gauge) return existing;
  return new Gauge({ name: GAUGE, help: 'Open WebSocket connections of /v1/stream', registers: [metrics.registry] });
}
