import { DelayedError, type Worker } from 'bullmq';
import type { OutboundDelivery } from '@sapa/contracts';
import { failDelivery, findPendingDelivery, outboundBackoff, SendFailure } from '@sapa/gateway';
import { startWorker, UnrecoverableError, type QueueName, type Redis } from '@sapa/queue';
import type { SessionManager } from '../session/session-manager.js';
import { deliverOnWhatsapp, type DeliverDeps } from './deliver-whatsapp.js';
import { routeDelivery } from './route-delivery.js';

export interface WhatsappOutboundDeps extends DeliverDeps {
  redis: Redis;
  prefix: string;
  sessions: SessionManager;
  onOutcome?: (queue: QueueName, outcome: 'completed' | 'failed') => void;
  concurrency?: number;
  /** How long a job waits for its number's holder before attempts are spent (default 5 min). */
  maxWaitMs?: number;
  /** How long a job that landed on the wrong replica waits before it is picked again (default 250 ms). */
  deferMs?: number;
  /** Overrides the base of the exponential retry delay (tests). */
  backoffDelayMs?: number;
}

/**
 * The `outbound.whatsapp_baileys` worker of one replica. Every replica runs one; each sends only for the numbers it
 * holds (routeDelivery) and puts the others' jobs back without spending their attempts.
 */
export function startWhatsappOutbound(deps: WhatsappOutboundDeps): Worker<OutboundDelivery> {
  const maxWaitMs = deps.maxWaitMs ?? 5 * 60_000;
  const deferMs = deps.deferMs ?? 250;
  return startWorker(
    'outbound.whatsapp_baileys',
    async (payload, job) => {
      const toSend = await findPendingDelivery(deps.db, payload);
      if (!toSend) return 'skipped';
      const session = deps.sessions.sessionOf(toSend.channel.id);
      const isLastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const route = routeDelivery({ session, channelStatus: toSend.channel.status, jobAgeMs: Date.now() - job.timestamp, maxWaitMs });
      switch (route) {
        case 'send': {
          const outcome = await deliverOnWhatsapp(deps, session!, toSend, payload, isLastAttempt);
          deps.logger.info({ tenantId: payload.tenantId, deliveryId: payload.deliveryId, jobId: job.id, outcome }, 'delivery done');
          return outcome;
        }
        case 'defer':
          // Random spread, so replicas do not hand one job back and forth in lockstep.
          await job.moveToDelayed(Date.now() + deferMs + Math.floor(Math.random() * deferMs), job.token);
          throw new DelayedError();
        case 'attempt_failed': {
          const reason = 'no replica holds a connected session of this WhatsApp number';
          if (isLastAttempt) await failDelivery(deps, toSend, reason);
          throw new SendFailure(reason, true);
        }
        case 'refuse': {
          const reason = `the WhatsApp number is ${toSend.channel.status}; pair it again to send`;
          await failDelivery(deps, toSend, reason);
          throw new UnrecoverableError(reason);
        }
      }
    },
    {
      connection: deps.redis,
      prefix: deps.prefix,
      logger: deps.logger,
      concurrency: deps.concurrency ?? 8,
      ...(deps.onOutcome && { onOutcome: deps.onOutcome }),
      options: { settings: { backoffStrategy: outboundBackoff(deps.backoffDelayMs) } },
    },
  );
}
