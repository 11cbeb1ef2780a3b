import { Type, type Static } from '@sinclair/typebox';

// Issue 5 item 7: quality control scores a conversation on the five criteria of the handling flow. Scale: each
// criterion an integer 0..100 (a percentage, as QC sheets use); the total is their mean, to two decimals.

export const QC_CRITERIA = ['greeting', 'verification', 'solution', 'cross_sell', 'closing'] as const;
export type QcCriterion = (typeof QC_CRITERIA)[number];

const Score = Type.Integer({ minimum: 0, maximum: 100 });

/** All five criteria, each 0..100; an unknown key is 400 `validation_failed`. */
export const QcCriteria = Type.Object(
  { greeting: Score, verification: Score, solution: Score, cross_sell: Score, closing: Score },
  { additionalProperties: false },
);
export type QcCriteria = Static<typeof QcCriteria>;

export const CreateQcScoreBody = Type.Object(
  // Null first: the validator coerces types, and a null tried against the string branch first would become "".
  { criteria: QcCriteria, note: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 2000 })])) },
  { additionalProperties: false },
);
export type CreateQcScoreBody = Static<typeof CreateQcScoreBody>;

export const QcScoreDto = Type.Object({
  id: Type.String({ format: 'uuid' }),
  conversationId: Type.String({ format: 'uuid' }),
  /** The conversation's assignee when it was scored. */
  agentId: Type.String({ format: 'uuid' }),
  criteria: QcCriteria,
  /** Mean of the five criteria, 0..100, two decimals. */
  total: Type.Number(),
  note: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});
export type QcScoreDto = Static<typeof QcScoreDto>;

/** Query of `GET /v1/qc-scores`: `from` inclusive, `to` exclusive, on the score's creation time. */
export const QcScoreListQuery = Type.Object(
  {
    agentId: Type.Optional(Type.String({ format: 'uuid' })),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 200 })),
  },
  { additionalProperties: false },
);
export type QcScoreListQuery = Static<typeof QcScoreListQuery>;

export const QcAgentSummary = Type.Object({
  agentId: Type.String({ format: 'uuid' }),
  count: Type.Integer({ minimum: 0 }),
  /** Mean of the totals, two decimals. */
  average: Type.Number(),
});
export type QcAgentSummary = Static<typeof QcAgentSummary>;

/** Newest first; `summary` covers every score matching the query, not only the `limit` listed. */
export const QcScoreList = Type.Object({ items: Type.Array(QcScoreDto), summary: Type.Array(QcAgentSummary) });
export type QcScoreList = Static<typeof QcScoreList>;

// Issue 5 item 6: the service-level report of a time window.

/** Query of `GET /v1/reports/service-level`: `from` inclusive, `to` exclusive. */
export const ServiceLevelQuery = Type.Object(
  {
    from: Type.String({ format: 'date-time' }),
    to: Type.String({ format: 'date-time' }),
    teamId: Type.Optional(Type.String({ format: 'uuid' })),
  },
  { additionalProperties: false },
);
export type ServiceLevelQuery = Static<typeof ServiceLevelQuery>;

/** The share target of first-contact resolution (customer-handling: 70%). */
export const FCR_TARGET = 0.7;

const Share = Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description: 'null when nothing was measured' });
const Seconds = Type.Union([Type.Number({ minimum: 0 }), Type.Null()]);

export const ServiceLevelReport = Type.Object({
  firstResponse: Type.Object({
    /** Over conversations first assigned in the window that an agent answered. */
    p50Seconds: Seconds,
    p90Seconds: Seconds,
    withinTargetShare: Share,
    targetSeconds: Type.Number({ minimum: 0 }),
  }),
  fcr: Type.Object({
    /** Of the conversations closed in the window, the share with no ticket dispatched beyond the agent. */
    share: Share,
    target: Type.Number(),
    conversations: Type.Integer({ minimum: 0 }),
  }),
  ticketsByPlaybook: Type.Array(Type.Object({ playbookKey: Type.String(), count: Type.Integer({ minimum: 0 }) })),
  ticketsByTeam: Type.Array(Type.Object({ team: Type.String(), count: Type.Integer({ minimum: 0 }) })),
  breaches: Type.Integer({ minimum: 0 }),
});
export type ServiceLevelReport = Static<typeof ServiceLevelReport>;
