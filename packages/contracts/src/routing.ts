import { Type, type Static } from '@sinclair/typebox';
import { AgentSkill, Capacity, LanguageCode } from './agents.js';
import { ExtensionPattern } from './voice.js';

// Routing v2 (issue 6; api-contract.md §Routing): the agent's profile the router matches on, the queues as team
// leaders watch them, and the tenant's routing rules.

const closed = { additionalProperties: false } as const;
// Rule keys, channel types and playbook groups: lower-case words joined by `_`.
const Key = Type.String({ pattern: '^[a-z][a-z0-9_]*$', maxLength: 64 });

/**
 * `PUT /v1/agents/{id}` (admin, team leader): any subset. `skills` and `languages` replace the agent's; `capacity` is
 * merged (buckets left out keep their value); `teams` replaces the agent's teams.
 */
export const AgentProfileBody = Type.Object(
  {
    skills: Type.Optional(Type.Array(AgentSkill, { maxItems: 50 })),
    capacity: Type.Optional(Type.Partial(Capacity, { additionalProperties: false, minProperties: 1 })),
    teams: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 50, uniqueItems: true })),
    languages: Type.Optional(Type.Array(LanguageCode, { maxItems: 20, uniqueItems: true })),
    /** The agent's PBX extension: call events naming it are the agent's calls (voice channels); null clears it. */
    extension: Type.Optional(Type.Union([Type.String({ pattern: ExtensionPattern }), Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type AgentProfileBody = Static<typeof AgentProfileBody>;

/** `GET /v1/queues`: one row per team the caller may watch. */
export const QueueDto = Type.Object({
  teamId: Type.String({ format: 'uuid' }),
  teamKey: Type.String(),
  waiting: Type.Integer({ minimum: 0 }),
  /** Seconds the longest-waiting conversation has waited; 0 when none waits. */
  oldestWaitingSeconds: Type.Integer({ minimum: 0 }),
  agentsOnline: Type.Integer({ minimum: 0 }),
});
export const QueueList = Type.Object({ items: Type.Array(QueueDto) });
export type QueueList = Static<typeof QueueList>;

/**
 * A contact attribute's value to match: a text of at most 200 characters, a number or true/false (checked by the
 * inbox API's PUT /v1/routing/rules). No JSON-schema type here on purpose: the API coerces types, and a union would
 * turn `true` into `"true"` (or `1` into `true`) in whichever branch it tries first.
 */
const AttributeValue = Type.Unsafe<string | number | boolean>({ description: 'a text of at most 200 characters, a number or true/false' });
export const ATTRIBUTE_TEXT_MAX = 200;

/**
 * What a routing rule looks at, all given conditions must hold: the channel (by id or type), words of the first
 * message (`keywords`, any of them, whole words, case ignored), the playbook group the first message reads as
 * (`fraud`, `deposit`, … by the routing package's keyword lists), a contact attribute (`{"vip": true}`).
 */
export const RoutingRuleWhen = Type.Object(
  {
    channelIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 50 })),
    channelTypes: Type.Optional(Type.Array(Key, { minItems: 1, maxItems: 20 })),
    keywords: Type.Optional(Type.Array(Type.String({ minLength: 2, maxLength: 60 }), { minItems: 1, maxItems: 100 })),
    playbookGroups: Type.Optional(Type.Array(Key, { minItems: 1, maxItems: 20 })),
    contactAttributes: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]*$' }), AttributeValue, {
        minProperties: 1,
        maxProperties: 10,
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type RoutingRuleWhen = Static<typeof RoutingRuleWhen>;

/** What a matching rule sets on the new conversation: its queue (team), priority, the skills and language it needs. */
export const RoutingRuleThen = Type.Object(
  {
    teamId: Type.Optional(Type.String({ format: 'uuid' })),
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    skills: Type.Optional(Type.Array(AgentSkill, { maxItems: 10 })),
    language: Type.Optional(LanguageCode),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type RoutingRuleThen = Static<typeof RoutingRuleThen>;

export const RoutingRule = Type.Object({ key: Key, name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), when: RoutingRuleWhen, then: RoutingRuleThen }, closed);
export type RoutingRule = Static<typeof RoutingRule>;

/** `GET`/`PUT /v1/routing/rules`: the whole ordered list, first match wins; PUT replaces it. */
export const RoutingRuleList = Type.Object({ items: Type.Array(RoutingRule, { maxItems: 200 }) }, closed);
export type RoutingRuleList = Static<typeof RoutingRuleList>;
