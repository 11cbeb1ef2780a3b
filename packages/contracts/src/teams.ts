import { Type, type Static } from '@sinclair/typebox';

// Teams and their business hours: the calendar that working-hours SLAs count on (issue 5) and that routing's
// out-of-hours rule reads (issue 6).

const closed = { additionalProperties: false } as const;

/** The days of the week as business-hours keys, in ISO order (1 = Monday … 7 = Sunday). */
export const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAY_KEYS)[number];

/** One opening of a day, local wall time: `from` 00:00..23:59, `to` 00:01..24:00 ("24:00" is the end of the day). */
export const OpeningInterval = Type.Object(
  {
    from: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM, 00:00..23:59' }),
    to: Type.String({ pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$', description: 'HH:MM, 00:00..24:00' }),
  },
  closed,
);
export type OpeningInterval = Static<typeof OpeningInterval>;

const DayHours = Type.Array(OpeningInterval, { maxItems: 4 });

/**
 * A team's weekly hours in the tenant's time zone: up to 4 openings per day, sorted, not overlapping (checked by
 * `validateBusinessHours` of @sapa/handling); a day left out (or `[]`) is closed, and so is every tenant holiday.
 */
export const BusinessHours = Type.Object(
  {
    mon: Type.Optional(DayHours),
    tue: Type.Optional(DayHours),
    wed: Type.Optional(DayHours),
    thu: Type.Optional(DayHours),
    fri: Type.Optional(DayHours),
    sat: Type.Optional(DayHours),
    sun: Type.Optional(DayHours),
  },
  closed,
);
export type BusinessHours = Static<typeof BusinessHours>;

/**
 * An integrator's allocator (issue 6 item 5): Sapa POSTs the waiting conversation and the agents with room, signed
 * like the API channel's callbacks (`X-Sapa-Timestamp`, `X-Sapa-Signature` over "<timestamp>.<raw body>"), and takes
 * the `{agentId}` it answers within `timeoutMs` if that agent is suitable; otherwise the team's strategy decides.
 */
export const TeamAllocator = Type.Object(
  {
    url: Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 }),
    timeoutMs: Type.Integer({ minimum: 50, maximum: 5000, description: 'ms to wait for the answer; 500 when not given' }),
  },
  { additionalProperties: false },
);
export type TeamAllocator = Static<typeof TeamAllocator>;

export const TeamDto = Type.Object({
  id: Type.String({ format: 'uuid' }),
  /** What playbooks and tickets name the team by (`tier2`, `finance`, …). */
  key: Type.String(),
  name: Type.String(),
  isDefault: Type.Boolean(),
  businessHours: BusinessHours,
  strategy: Type.Union([Type.Literal('least_busy'), Type.Literal('round_robin'), Type.Literal('skills_weighted')]),
  allocator: Type.Union([TeamAllocator, Type.Null()]),
  /** The allocator's signing secret, in the answer that set the allocator only; never again. */
  allocatorSecret: Type.Optional(Type.String()),
});
export type TeamDto = Static<typeof TeamDto>;

export const TeamList = Type.Object({ items: Type.Array(TeamDto) });
export type TeamList = Static<typeof TeamList>;

export const TeamPatchBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    businessHours: Type.Optional(BusinessHours),
    strategy: Type.Optional(Type.Union([Type.Literal('least_busy'), Type.Literal('round_robin'), Type.Literal('skills_weighted')])),
    /** Set (a new secret is answered once) or remove (null) the team's external allocator. */
    allocator: Type.Optional(Type.Union([Type.Object({ url: TeamAllocator.properties.url, timeoutMs: Type.Optional(TeamAllocator.properties.timeoutMs) }, { additionalProperties: false }), Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type TeamPatchBody = Static<typeof TeamPatchBody>;
