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
 * Something a webhook carries that goes on a queue once per channel id of it: a customer's message (queue `inbound`),
 * or an event a channel has its own queue for (a call event on `voice.events`).
 */
export interface AcceptableJob {
  tenantId: string;
  channelId: string;
  /** The channel's own id of what it sent; the same id again is a duplicate. */
  externalId: string;
  /** Adds the job; resolves with its id once Redis holds it. */
  enqueue(producer: Producer): Promise<string>;
}

/** A customer's message as a job of queue `inbound`. */
export function inboundJob(message: InboundMessage): AcceptableJob {
  return {
    tenantId: message.tenantId,
    channelId: message.channelId,
    externalId: message.externalMessageId,
    enqueue: (producer) => producer.add('inbound', message),
  };
}

/**
 * Hands a normalised message to queue `inbound` exactly once per channel message id.
 * The id is claimed `pending` first and marked `done` only once BullMQ holds the job, so nothing acknowledged is
 * lost, and a crash between the two leaves a claim that expires instead of a false "duplicate".
 */
export function acceptInbound(deps: AcceptDeps, message: InboundMessage): Promise<AcceptOutcome> {
  return acceptJob(deps, inboundJob(message));
}

/** acceptInbound for any job a webhook carries: claimed by its channel id, enqueued once, marked done once held. */
export async function acceptJob(deps: AcceptDeps, job: AcceptableJob): Promise<AcceptOutcome> {
  const key = seenKey(deps.prefix, job.channelId, job.externalId);
  // SET … NX GET (Redis ≥ 7): claims the id and tells, in one step, what held it before.
  const previous = (await deps.redis.call('SET', key, 'pending', 'EX', PENDING_TTL_SECONDS, 'NX', 'GET')) as string | null;
  if (previous === 'done') return { status: 'duplicate' };
  if (previous !== null) throw DuplicateInFlight();

  let jobId: string;
  try {
    jobId = await withTimeout(
      job.enqueue(deps.producer),
      deps.enqueueTimeoutMs,
      `Redis did not hold the job within ${deps.enqueueTimeoutMs} ms`,
    );
  } catch (err) {
    deps.logger.error({ err, tenantId: job.tenantId, channelId: job.channelId }, 'could not enqueue inbound job');
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
