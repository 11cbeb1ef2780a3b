import type { FastifyInstance } from 'fastify';
import { Gauge } from 'prom-client';
import { findPrincipalByTokenHash } from '@sapa/db/queries/auth-tokens';
import type { Metrics } from '@sapa/service-kit';
import type { InboxApiDeps } from '../deps.js';
import { startIdleSweep, type IdleSweep } from './idle-sweep.js';
import { createLastSeenTracker } from './last-seen.js';
import { createSocketHub, type SocketHub } from './socket-hub.js';

export interface LiveHubTimings {
  /** How often each socket is pinged and its token re-checked. */
  pingIntervalMs: number;
  /** How often idle agents are looked for and turned away. */
  idleSweepMs: number;
}

/**
 * The app's socket hub, tied to its lifecycle: one event-bus subscription per app once it is ready, every
 * socket closed with 1001 on shutdown, the subscription dropped on close. The sockets' signs of life keep their
 * agents' last_seen_at, and the idle sweep runs while the hub does. Call it before registering
 * @fastify/websocket, so this preClose runs first and sockets get a proper close code.
 */
export function attachLiveHub(app: FastifyInstance, deps: InboxApiDeps, timings: LiveHubTimings): SocketHub {
  const connections = connectionsGauge(deps.metrics);
  const hub = createSocketHub({
    logger: deps.logger,
    pingIntervalMs: timings.pingIntervalMs,
    stillValid: async (p) => (await findPrincipalByTokenHash(deps.db, p.tokenHash)) !== undefined,
    onCount: (delta) => connections.inc(delta),
    onActivity: createLastSeenTracker(deps.db, deps.logger),
  });
  let unsubscribe: (() => Promise<void>) | undefined;
  let sweep: IdleSweep | undefined;
  app.addHook('onReady', async () => {
    unsubscribe = await deps.eventBus.subscribe((event) => hub.dispatch(event));
    sweep = startIdleSweep(deps, timings.idleSweepMs);
  });
  app.addHook('preClose', async () => hub.close());
  app.addHook('onClose', async () => {
    await sweep?.stop();
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
