import type { HandlingEvent } from '@sapa/contracts';
import type { Producer } from '@sapa/queue';
import type { FastifyBaseLogger } from 'fastify';

/** The request's logger or the service's: only error is used. */
type Log = Pick<FastifyBaseLogger, 'error'>;

/**
 * Tells the ticket service's handling flow that a conversation's status changed (closed, transferred), so it
 * stops or re-reads the inactivity clock (queue `handling`). After commit and best effort, like a drain: a timer
 * that fires on a closed or moved conversation re-reads the row and does nothing, so a lost event costs no nudge.
 */
export async function notifyStatusChanged(producer: Producer, log: Log, tenantId: string, conversationId: string, at: Date): Promise<void> {
  const event: HandlingEvent = { tenantId, conversationId, type: 'status_changed', at: at.toISOString() };
  try {
    await producer.add('handling', event);
  } catch (err) {
    log.error({ err, tenantId, conversationId }, 'could not enqueue a handling status_changed event');
  }
}
