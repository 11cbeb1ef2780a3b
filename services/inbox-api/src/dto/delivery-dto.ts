import type { DeliveryDto } from '@sapa/contracts';
import type { Delivery } from '@sapa/db';

export function toDeliveryDto(d: Delivery): DeliveryDto {
  return {
    id: d.id,
    messageId: d.message_id,
    conversationId: d.conversation_id,
    channelId: d.channel_id,
    status: d.status,
    attempts: d.attempts,
    lastError: d.last_error,
    createdAt: d.created_at.toISOString(),
    updatedAt: d.updated_at.toISOString(),
  };
}
