import type { EventBus } from '@sapa/queue';
import type { Logger } from '@sapa/service-kit';
import type { DeliveryToSend } from '@sapa/db/queries/deliveries';

/**
 * Tells the inbox that a reply's status changed (`message.updated`, api-contract.md §Live events), to the
 * conversation's team and its assignee. Pub/sub is a notification, Postgres stays the record: a failed publish
 * is logged, never retried by re-sending.
 */
export async function publishMessageStatus(
  eventBus: EventBus,
  logger: Logger,
  toSend: DeliveryToSend,
  status: 'sent' | 'failed',
): Promise<void> {
  const { conversation } = toSend;
  try {
    await eventBus.publish({
      type: 'message.updated',
      tenantId: toSend.delivery.tenant_id,
      audience: { teamId: conversation.teamId, userIds: conversation.assigneeId ? [conversation.assigneeId] : [] },
      data: { id: toSend.message.id, conversationId: conversation.id, status },
    });
  } catch (err) {
    logger.warn({ err, tenantId: toSend.delivery.tenant_id, conversationId: conversation.id }, 'could not publish message.updated');
  }
}
