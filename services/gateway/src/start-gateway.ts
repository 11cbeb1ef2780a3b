import type { FastifyInstance } from 'fastify';
import { createEventBus, createProducer } from '@sapa/queue';
import { buildGatewayApp, type GatewayAppDeps } from './app.js';
import { attachmentAccessFor } from './media/gateway-attachments.js';
import { startMediaWorker } from './media/media-worker.js';
import { startDeliverySweeper, type SweeperOptions } from './outbound/delivery-sweeper.js';
import { startOutboundWorkers, type OutboundWorkerDeps } from './outbound/outbound-worker.js';

export interface GatewayDeps extends Omit<GatewayAppDeps, 'producer'> {
  host: string;
  /** 0 picks a free port (tests, bench); read it back from `app.server.address()`. */
  port: number;
  worker?: Pick<OutboundWorkerDeps, 'concurrency' | 'sendTimeoutMs' | 'backoffDelayMs'>;
  sweeper?: Omit<SweeperOptions, 'redis' | 'prefix'>;
}

export interface Gateway {
  app: FastifyInstance;
  /** Stops taking webhooks, lets in-flight sends finish, stops the sweeper. Leaves db and redis open (the caller owns them). */
  close(): Promise<void>;
}

/** Starts the webhook listener, the outbound workers and the delivery sweeper. */
export async function startGateway(deps: GatewayDeps): Promise<Gateway> {
  const producer = createProducer(deps.redis, deps.prefix);
  const eventBus = createEventBus(deps.redis, deps.prefix);
  const app = await buildGatewayApp({ ...deps, producer, eventBus });
  // Links are made on the public address, or (tests, a first run) on the one the gateway listens on once it does.
  let listening = '';
  const files = deps.attachments;
  const attachmentsFor = files && ((tenantId: string) =>
    attachmentAccessFor({ db: deps.db, store: files.store, signingKey: files.signingKey, publicUrl: () => files.publicUrl ?? listening }, tenantId));
  const workers = startOutboundWorkers({
    ...deps,
    ...deps.worker,
    eventBus,
    ...(attachmentsFor && { attachmentsFor }),
    onOutcome: (queue, outcome) => deps.metrics.jobsTotal.inc({ queue, outcome }),
  });
  const mediaWorker =
    files && attachmentsFor
      ? startMediaWorker({ ...deps, store: files.store, allowPrivateHosts: files.allowPrivateHosts ?? false, eventBus, attachmentsFor, onOutcome: (queue, outcome) => deps.metrics.jobsTotal.inc({ queue, outcome }) })
      : undefined;
  const sweeper = startDeliverySweeper(
    { db: deps.db, producer, eventBus, logger: deps.logger },
    { ...deps.sweeper, redis: deps.redis, prefix: deps.prefix },
  );
  await app.listen({ host: deps.host, port: deps.port });
  const address = app.server.address();
  if (typeof address === 'object' && address) listening = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    app,
    close() {
      closing ??= (async () => {
        await app.close();
        await sweeper.stop();
        await Promise.all([...workers, ...(mediaWorker ? [mediaWorker] : [])].map((w) => w.close()));
        await producer.close();
      })();
      return closing;
    },
  };
}
