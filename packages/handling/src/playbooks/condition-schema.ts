import { Type, type Static } from '@sinclair/typebox';

// complaint-playbooks.md: branches of the SOP that depend on what the agent collected ("Jika Bon Nya sudah lunas…",
// "kurang dari 1x24 jam", status PENDING/SUKSES) are conditions on ticket fields, kept as data.

/** A field key or item key: lower snake case. */
export const DataKey = Type.String({ pattern: '^[a-z][a-z0-9_]*$', maxLength: 64 });

/**
 * How a condition compares a field: `eq`/`ne` with a scalar, `in` with a list, `lt`…`gte` with a number,
 * `present`/`absent` without a value, `older_than_minutes`/`within_minutes` with minutes, for a date or datetime field
 * (e.g. a wrong transfer "kurang dari 1x24 jam" → `{field: 'transfer_time', op: 'within_minutes', value: 1440}`).
 */
export const CONDITION_OPS = ['eq', 'ne', 'in', 'lt', 'lte', 'gt', 'gte', 'present', 'absent', 'older_than_minutes', 'within_minutes'] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);

/** One test on one ticket field. A list of conditions holds when every one holds. */
export const Condition = Type.Object(
  {
    field: DataKey,
    op: Type.Union(CONDITION_OPS.map((op) => Type.Literal(op))),
    value: Type.Optional(Type.Union([Scalar, Type.Array(Type.Union([Type.String(), Type.Number()]), { minItems: 1 })])),
  },
  { additionalProperties: false },
);
export type Condition = Static<typeof Condition>;
