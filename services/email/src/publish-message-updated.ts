import type { EventBus } from '@sapa/queue';
import type { Logger } from '@sapa/service-kit';

/**
 * Tells the inbox a reply's status changed (`message.updated`, api-contract.md §Live events), to the conversation's
 * team and assignee, as the gateway does for other channels. A failed publish is logged: Postgres is the record.
 */
export async function publishMessageUpdated(
  eventBus: EventBus,
  logger: Logger,
  change: { tenantId: string; messageId: string; conversation: { id: string; teamId: string | null; assigneeId: string | null }; status: 'sent' | 'failed' },
): Promise<void> {
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
