import type { InboundMessage } from '@sapa/contracts';
import { withTimeout, type Logger } from '@sapa/service-kit';
import type { Producer, Redis } from '@sapa/queue';
import { DuplicateInFlight, QueueUnavailable } from '../errors.js';
import { PENDING_TTL_SECONDS, SEEN_TTL_SECONDS, seenKey } from './seen-key.js';

export interface AcceptDeps {
  redis: Redis;
  prefix: string;
  producer: Producer;
  logger: Logger;
  /** Longest wait for Redis to hold the job before answering 503. */
  enqueueTimeoutMs: number;
}

export type AcceptOutcome = { status: 'accepted'; jobId: string } | { status: 'duplicate' };

/**
 * Hands a normalised message to queue `inbound` exactly once per channel message id.
 * The id is claimed `pending` first and marked `done` only once BullMQ holds the job, so nothing acknowledged is
 * lost, and a crash between the two leaves a claim that expires instead of a false "duplicate".
 */
export async function acceptInbound(deps: AcceptDeps, message: InboundMessage): Promise<AcceptOutcome> {
  const key = seenKey(deps.prefix, message.channelId, message.externalMessageId);
  // SET … NX GET (Redis ≥ 7): claims the id and tells, in one step, what held it before.
  const previous = (await deps.redis.call('SET', key, 'pending', 'EX', PENDING_TTL_SECONDS, 'NX', 'GET')) as string | null;
  if (previous === 'done') return { status: 'duplicate' };
  if (previous !== null) throw DuplicateInFlight();

  let jobId: string;
  try {
    jobId = await withTimeout(
      deps.producer.add('inbound', message),
      deps.enqueueTimeoutMs,
      `Redis did not hold the job within ${deps.enqueueTimeoutMs} ms`,
    );
  } catch (err) {
    deps.logger.error({ err, tenantId: message.tenantId, channelId: message.channelId }, 'could not enqueue inbound message');
    await deps.redis.del(key).catch(() => undefined);
    throw QueueUnavailable();
  }
  try {
    await deps.redis.set(key, 'done', 'EX', SEEN_TTL_SECONDS);
  } catch (err) {
    // The job is held, so the answer is still 202; a retry meanwhile meets the pending claim, then the same job id.
    deps.logger.warn({ err, jobId }, 'could not record a seen message id');
  }
  return { status: 'accepted', jobId };
}
