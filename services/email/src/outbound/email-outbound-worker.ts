import type { OutboundDelivery } from '@sapa/contracts';
import { startWorker, type Redis } from '@sapa/queue';
import type { BackoffStrategy, Worker } from 'bullmq';
import { deliverEmail, type DeliverEmailDeps } from './deliver-email.js';

export interface EmailOutboundDeps extends DeliverEmailDeps {
  redis: Redis;
  prefix: string;
  concurrency?: number;
  /** Overrides the base of the exponential retry delay (default: the job's own, 1 s); tests run attempts in ms. */
  backoffDelayMs?: number;
}

/** OUTBOUND_BACKOFF of @sapa/queue for this worker: `base · 2^(attempt − 1)`. */
function backoff(baseDelayMs?: number): BackoffStrategy {
  return (attemptsMade, _type, _err, job) => {
    const configured = job?.opts.backoff;
    const base = baseDelayMs ?? (typeof configured === 'object' ? configured.delay : configured) ?? 1000;
    return Math.round(base * 2 ** Math.max(0, attemptsMade - 1));
  };
}

/** The worker of queue `outbound.email`: agents' and Sapa's replies leave by the channel's SMTP server. */
export function startEmailOutboundWorker(deps: EmailOutboundDeps): Worker<OutboundDelivery> {
  return startWorker(
    'outbound.email',
    async (payload, job) => {
      const isLastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const outcome = await deliverEmail(deps, payload, isLastAttempt);
      deps.logger.info({ tenantId: payload.tenantId, deliveryId: payload.deliveryId, jobId: job.id, outcome }, 'email delivery done');
      return outcome;
    },
    {
      connection: deps.redis,
      prefix: deps.prefix,
      logger: deps.logger,
      concurrency: deps.concurrency ?? 8,
      options: { settings: { backoffStrategy: backoff(deps.backoffDelayMs) } },
    },
  );
}
