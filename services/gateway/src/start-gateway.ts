import type { FastifyInstance } from 'fastify';
import { createEventBus, createProducer } from '@sapa/queue';
import { buildGatewayApp, type GatewayAppDeps } from './app.js';
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
  const workers = startOutboundWorkers({
    ...deps,
    ...deps.worker,
    eventBus,
    onOutcome: (queue, outcome) => deps.metrics.jobsTotal.inc({ queue, outcome }),
  });
  const sweeper = startDeliverySweeper(
    { db: deps.db, producer, eventBus, logger: deps.logger },
    { ...deps.sweeper, redis: deps.redis, prefix: deps.prefix },
  );
  await app.listen({ host: deps.host, port: deps.port });

  let closing: Promise<void> | undefined;
  return {
    app,
    close() {
      closing ??= (async () => {
        await app.close();
        await sweeper.stop();
        await Promise.all(workers.map((w) => w.close()));
        await producer.close();
      })();
      return closing;
    },
  };
}
