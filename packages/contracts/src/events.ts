import { Type, type Static } from '@sinclair/typebox';

/** Event types of api-contract.md §Live events. */
export const EVENT_TYPES = [
  'conversation.assigned',
  'conversation.updated',
  'message.created',
  'message.updated',
  /** Someone is typing (live chat): `{conversationId, channelId, channelType, actor: {type, id?, name?}, typing}`. */
  'conversation.typing',
  'agent.updated',
  'ticket.updated',
  'sla.breached',
  /** A WhatsApp (Baileys) number's pairing moved on: a new QR or pairing code, linked, logged out, banned. Admins only. */
  'channel.pairing',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * A domain event as published on Redis. `audience` says who may see it; the inbox API's
 * WebSocket fan-out delivers `{type, data}` only to users matching it.
 */
export const DomainEvent = Type.Object({
  type: Type.Union(EVENT_TYPES.map((t) => Type.Literal(t))),
  tenantId: Type.String(),
  audience: Type.Object({
    /** Members and leaders of this team see it, and so do the tenant's admins and QC. */
    teamId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    /** This user sees it. */
    userIds: Type.Optional(Type.Array(Type.String())),
    /** Only the leaders of this team (plus `userIds`) see it: SLA breach alerts (customer-handling.md §Roles). */
    leadersOfTeamId: Type.Optional(Type.String()),
    /** Only these roles (plus `userIds`) see it; when absent, the team rule applies. */
    roles: Type.Optional(Type.Array(Type.String())),
  }),
  data: Type.Record(Type.String(), Type.Unknown()),
  at: Type.String(),
});
export type DomainEvent = Static<typeof DomainEvent>;
