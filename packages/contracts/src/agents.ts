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

/** A skill key: lower-case words joined by `_` (`billing`, `fraud_check`). */
const SkillKey = Type.String({ pattern: '^[a-z][a-z0-9_]*$', maxLength: 64 });

/** What an agent can do and how well (1 novice … 5 expert); routing matches it against a conversation's needs. */
export const AgentSkill = Type.Object({ key: SkillKey, level: Type.Integer({ minimum: 1, maximum: 5 }) }, { additionalProperties: false });
export type AgentSkill = Static<typeof AgentSkill>;

/** An ISO 639-1 language code the agent serves or the conversation needs (`id`, `en`, `jv`, …). */
export const LanguageCode = Type.String({ pattern: '^[a-z]{2,3}$' });

export const AgentDto = Type.Object({
  id: Type.String(),
  name: Type.String(),
  status: Presence,
  teams: Type.Array(Type.Object({ id: Type.String(), key: Type.String(), name: Type.String() })),
  activeConversations: Capacity,
  capacity: Capacity,
  /** Sorted by key. */
  skills: Type.Array(AgentSkill),
  /** Languages the agent serves; empty: any. */
  languages: Type.Array(LanguageCode),
  /** The agent's PBX extension (voice channels), null when none. */
  extension: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});
export type AgentDto = Static<typeof AgentDto>;
