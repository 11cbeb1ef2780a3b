import { Type, type Static } from '@sinclair/typebox';
import { Condition, DataKey } from './condition-schema.js';
import { TeamKey } from './gate-schema.js';

// complaint-playbooks.md §Transaction complaint (the SLA ladder) and the playbooks' due times ("1–2 jam kerja",
// "Proses 1-30 Menit", "maks. 1x24 jam"). Minutes everywhere; `workingHours` says whether they count on the team's
// business calendar (hours and the tenant's holidays) or on the wall clock.

const closed = { additionalProperties: false } as const;
const Minutes = Type.Integer({ minimum: 0, maximum: 525_600, description: 'minutes, 0..525600 (a year)' });

/** A time range in minutes: the promise "1–30 menit" is `{minMinutes: 1, maxMinutes: 30}`; the due time is the max. */
export const Due = Type.Object({ minMinutes: Type.Optional(Minutes), maxMinutes: Minutes }, closed);
export type Due = Static<typeof Due>;

/**
 * What a ladder step does when its time comes: `remind` the owner; `complain_supplier` / `hard_complaint` remind the
 * owner to (hard-)complain to the supplier; `escalate` hands over to `toTeam`; `no_resolution` marks the case as one
 * that has no remedy (wrong destination: non-refundable); `breach` marks the SLA breached and tells the team's leaders.
 */
export const LADDER_ACTIONS = ['remind', 'complain_supplier', 'hard_complaint', 'escalate', 'no_resolution', 'breach'] as const;
export type LadderAction = (typeof LADDER_ACTIONS)[number];

export const LadderStep = Type.Object(
  {
    afterMinutes: Minutes,
    action: Type.Union(LADDER_ACTIONS.map((a) => Type.Literal(a))),
    toTeam: Type.Optional(TeamKey),
    /** Repeat the reminder this often until the ticket moves on ("follow up berkala"). */
    repeatEveryMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_080 })),
    note: Type.String({ minLength: 1, maxLength: 500 }),
  },
  closed,
);
export type LadderStep = Static<typeof LadderStep>;

/** One escalation ladder, chosen by `when` (e.g. transaction status pending); steps in ascending `afterMinutes`. */
export const Ladder = Type.Object(
  {
    key: DataKey,
    label: Type.String({ minLength: 1, maxLength: 300 }),
    labelEn: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    /** Who carries it out, as the SOP names it ("CS / Operator"). */
    owner: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    when: Type.Optional(Type.Array(Condition, { minItems: 1 })),
    steps: Type.Array(LadderStep, { minItems: 1 }),
  },
  closed,
);
export type Ladder = Static<typeof Ladder>;

/** Where the clock starts: the ticket's creation, or a date/datetime field (the transaction time). */
export const SlaStart = Type.Union([Type.Literal('ticket_created'), Type.Object({ field: DataKey }, closed)], {
  default: 'ticket_created',
});
export type SlaStart = Static<typeof SlaStart>;

export const Sla = Type.Object(
  {
    workingHours: Type.Boolean({ default: false }),
    startsAt: SlaStart,
    /** Resolution time of the whole ticket; an outcome's own `due` replaces it once chosen. */
    due: Type.Optional(Due),
    ladders: Type.Array(Ladder, { default: [] }),
  },
  closed,
);
export type Sla = Static<typeof Sla>;
