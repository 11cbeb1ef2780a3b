import type { Producer } from '@sapa/queue';
import { responseTimerFor, type AssignedConversation, type ResponseRule } from '@sapa/routing';
import type { FastifyBaseLogger } from 'fastify';

/** The request's logger or the service's: only warn and error are used. */
type Log = Pick<FastifyBaseLogger, 'warn' | 'error'>;

/**
 * Asks the router to hand waiting conversations of these teams to agents with room (queue `routing`).
 * Best effort after the change has committed: if Redis refuses, the router's periodic drain still picks
 * the queue up, so the request does not fail for it.
 */
export async function requestDrain(producer: Producer, logger: Log, tenantId: string, teamIds: string[], reason: string): Promise<void> {
  const unique = [...new Set(teamIds)];
  if (unique.length === 0) return;
  try {
    await producer.add('routing', { tenantId, teamIds: unique, reason });
  } catch (err) {
    logger.error({ err, tenantId, teamIds: unique, reason }, 'could not enqueue a routing drain');
  }
}

/**
 * Starts the first-response timer of a conversation an agent was just given by hand (a transfer): the router's
 * response chain then holds the new agent to the same rule as one the router assigned. Best effort, like a drain.
 */
export async function startResponseTimer(producer: Producer, logger: Log, conv: AssignedConversation, rule: ResponseRule): Promise<void> {
  const next = responseTimerFor(conv, rule);
  if (!next) return;
  try {
    await producer.add('routing.response', next.timer, { delay: next.delayMs });
  } catch (err) {
    logger.error({ err, conversationId: conv.id }, 'could not start the first-response timer');
  }
}
