import { Type, type Static } from '@sinclair/typebox';

export const PRESENCE = ['online', 'away', 'offline'] as const;
export const Presence = Type.Union(PRESENCE.map((p) => Type.Literal(p)));
export type Presence = Static<typeof Presence>;

export const PresenceBody = Type.Object({ status: Presence }, { additionalProperties: false });
export type PresenceBody = Static<typeof PresenceBody>;

/** Conversations an agent may hold at once, per capacity bucket. */
export const Capacity = Type.Object({
  chat: Type.Integer({ minimum: 0, maximum: 1000 }),
  email: Type.Integer({ minimum: 0, maximum: 1000 }),
  voice: Type.Integer({ minimum: 0, maximum: 100 }),
});
export type Capacity = Static<typeof Capacity>;

export const AgentDto = Type.Object({
  id: Type.String(),
  name: Type.String(),
  status: Presence,
  teams: Type.Array(Type.Object({ id: Type.String(), key: Type.String(), name: Type.String() })),
  activeConversations: Capacity,
  capacity: Capacity,
});
export type AgentDto = Static<typeof AgentDto>;
