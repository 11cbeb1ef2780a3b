import { randomUUID } from 'node:crypto';
import type { Redis } from '@sapa/queue';
import { sweepPendingDeliveries, type SweepDeps } from './sweep-pending-deliveries.js';

export interface SweeperOptions {
  redis: Redis;
  prefix: string;
  /** How often a sweep runs across all replicas (default 30 s). */
  intervalMs?: number;
  /** How long a delivery may stay pending and unchanged before it is checked (default 60 s). */
  olderThanMs?: number;
  /** Most deliveries handled per sweep (default 500). */
  limit?: number;
}

export interface DeliverySweeper {
  stop(): Promise<void>;
}

/**
 * Runs sweepPendingDeliveries on a timer. A Redis lock held for one interval makes one replica sweep per
 * interval, however many run.
 */
export function startDeliverySweeper(deps: SweepDeps, options: SweeperOptions): DeliverySweeper {
  const intervalMs = options.intervalMs ?? 30_000;
  const lockKey = `${options.prefix}:lock:delivery-sweeper`;
  let running: Promise<void> = Promise.resolve();

  const tick = async (): Promise<void> => {
    const locked = await options.redis.set(lockKey, randomUUID(), 'PX', intervalMs, 'NX');
    if (locked !== 'OK') return;
    const result = await sweepPendingDeliveries(deps, { olderThanMs: options.olderThanMs ?? 60_000, limit: options.limit ?? 500 });
    if (result.requeued + result.failed > 0) deps.logger.info(result, 'delivery sweep');
  };
  const timer = setInterval(() => {
    running = running.then(tick).catch((err: unknown) => deps.logger.error({ err }, 'delivery sweep failed'));
  }, intervalMs);
  timer.unref();

  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
