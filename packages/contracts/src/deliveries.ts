import { Type, type Static } from '@sinclair/typebox';

export const DELIVERY_STATUSES = ['pending', 'sent', 'failed'] as const;
export const DeliveryStatus = Type.Union(DELIVERY_STATUSES.map((s) => Type.Literal(s)));
export type DeliveryStatus = Static<typeof DeliveryStatus>;

export const DeliveryDto = Type.Object({
  id: Type.String(),
  messageId: Type.String(),
  conversationId: Type.String(),
  channelId: Type.String(),
  status: DeliveryStatus,
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type DeliveryDto = Static<typeof DeliveryDto>;
