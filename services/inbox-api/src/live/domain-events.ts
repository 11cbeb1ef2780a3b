import type { NewDomainEvent } from '@sapa/contracts';
import type { EventBus } from '@sapa/queue';
import type { FastifyBaseLogger } from 'fastify';

/** The request's logger or the service's: only warn and error are used. */
type Log = Pick<FastifyBaseLogger, 'warn' | 'error'>;

type NewEvent = NewDomainEvent;

// The event builders are shared with the router and the ticket service.
export { agentUpdated, conversationUpdated, messageCreated } from '@sapa/contracts';

/**
 * Publishes after the change has committed. Events are notifications (Postgres stays the record), so a
 * Redis hiccup is logged and the request still succeeds.
 */
export async function publishAll(bus: EventBus, logger: Log, events: NewEvent[]): Promise<void> {
  for (const event of events) {
    try {
      await bus.publish(event);
    } catch (err) {
      logger.warn({ err, type: event.type, tenantId: event.tenantId }, 'could not publish a live event');
    }
  }
}
