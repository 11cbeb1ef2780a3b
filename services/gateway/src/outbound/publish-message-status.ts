import type { MessageStatus } from '@sapa/contracts';
import type { EventBus } from '@sapa/queue';
import type { Logger } from '@sapa/service-kit';
import type { DeliveryToSend } from '@sapa/db/queries/deliveries';

/** A message whose status changed, with the conversation whose team and assignee hear of it. */
export interface MessageStatusChange {
  tenantId: string;
  messageId: string;
  conversation: { id: string; teamId: string | null; assigneeId: string | null };
  status: MessageStatus;
}

/**
 * Tells the inbox that a reply's status changed (`message.updated`, api-contract.md §Live events), to the
 * conversation's team and its assignee. Pub/sub is a notification, Postgres stays the record: a failed publish
 * is logged, never retried by re-sending.
 */
export async function publishMessageUpdated(eventBus: EventBus, logger: Logger, change: MessageStatusChange): Promise<void> {
  const { tenantId, conversation } = change;
  try {
    await eventBus.publish({
      type: 'message.updated',
      tenantId,
      audience: { teamId: conversation.teamId, userIds: conversation.assigneeId ? [conversation.assigneeId] : [] },
      data: { id: change.messageId, conversationId: conversation.id, status: change.status },
    });
  } catch (err) {
    logger.warn({ err, tenantId, conversationId: conversation.id }, 'could not publish message.updated');
  }
}

/** publishMessageUpdated for the message of a delivery the worker just sent or gave up on. */
export function publishMessageStatus(eventBus: EventBus, logger: Logger, toSend: DeliveryToSend, status: 'sent' | 'failed'): Promise<void> {
  return publishMessageUpdated(eventBus, logger, {
    tenantId: toSend.delivery.tenant_id,
    messageId: toSend.message.id,
    conversation: toSend.conversation,
    status,
  });
}
