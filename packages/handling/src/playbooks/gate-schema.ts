import { Role } from '@sapa/contracts';
import { Type, type Static } from '@sinclair/typebox';
import { Condition, DataKey } from './condition-schema.js';

// complaint-playbooks.md §What a playbook holds, `gates`: actions that stay blocked until a rule holds. A gate is a
// named set of checks; every check must hold. A check may be waived by an exception that one of `waivableBy` recorded
// for the gate (the SOP's "kecuali ada pengecualian dari Manajemen" waives the holder-name rule of a withdrawal, not its
// 3-of-5 verification); a check without `waivableBy` is never waived.

/** Contact profile attributes that verification compares (api-contract.md, `PATCH /v1/contacts/{id}`). */
export const CONTACT_ATTRIBUTES = ['registeredName', 'agentId', 'registeredPhone', 'uplineId'] as const;
export type ContactAttribute = (typeof CONTACT_ATTRIBUTES)[number];

/**
 * How two texts are compared: `name` ignores case and every space ("budi  SANTOSO" = "Budi Santoso"); `phone` keeps
 * digits and reads a leading 0 as Indonesia's 62; `exact` compares as given.
 */
export const MATCH_NORMALIZATIONS = ['name', 'phone', 'exact'] as const;

/** A team key of the tenant (`finance`, `backend`, …). */
export const TeamKey = Type.String({ pattern: '^[a-z][a-z0-9_]*$', maxLength: 64 });

const waivable = {
  /** Roles whose recorded exception for this gate waives this check; absent or empty: it cannot be waived. */
  waivableBy: Type.Optional(Type.Array(Role, { uniqueItems: true })),
};
const closed = { additionalProperties: false } as const;

/** The playbook's verification rule (its `verification.rule`, k of n or all) must hold over the checked items. */
export const VerificationCheck = Type.Object({ kind: Type.Literal('verification'), ...waivable }, closed);

/** A ticket field must equal a contact attribute, e.g. bank account holder name = registered agent name. */
export const AttributeMatchCheck = Type.Object(
  {
    kind: Type.Literal('attribute_match'),
    field: DataKey,
    contactAttribute: Type.Union(CONTACT_ATTRIBUTES.map((a) => Type.Literal(a))),
    normalize: Type.Union(MATCH_NORMALIZATIONS.map((n) => Type.Literal(n))),
    ...waivable,
  },
  closed,
);

/** Someone of `approverTeams` or `approverRoles` must have approved the ticket for this gate (bon → atasan). */
export const ApprovalCheck = Type.Object(
  {
    kind: Type.Literal('approval'),
    approverTeams: Type.Optional(Type.Array(TeamKey, { uniqueItems: true })),
    approverRoles: Type.Optional(Type.Array(Role, { uniqueItems: true })),
    ...waivable,
  },
  closed,
);

/** Every condition must hold on the ticket's fields (e.g. only the downline may ask for its own pure deposit). */
export const ConditionCheck = Type.Object(
  { kind: Type.Literal('condition'), require: Type.Array(Condition, { minItems: 1 }), ...waivable },
  closed,
);

/** The fields must be filled in: all of them, or (`mode: 'any'`) at least one (agent ID or registered phone). */
export const FieldsPresentCheck = Type.Object(
  {
    kind: Type.Literal('fields_present'),
    fields: Type.Array(DataKey, { minItems: 1, uniqueItems: true }),
    mode: Type.Union([Type.Literal('all'), Type.Literal('any')], { default: 'all' }),
    ...waivable,
  },
  closed,
);

export const GateCheck = Type.Union([VerificationCheck, AttributeMatchCheck, ApprovalCheck, ConditionCheck, FieldsPresentCheck]);
export type GateCheck = Static<typeof GateCheck>;

/** The actions a gate blocks. */
export const GATE_ACTIONS = ['dispatch', 'resolve'] as const;
export type GateAction = (typeof GATE_ACTIONS)[number];

/**
 * Which actions the gate blocks: dispatch (to any team, or only `toTeams`, or all but `exceptTeams`) and/or resolve
 * (with any outcome, or only `outcomes`).
 */
export const GateScope = Type.Object(
  {
    actions: Type.Array(Type.Union(GATE_ACTIONS.map((a) => Type.Literal(a))), { minItems: 1, uniqueItems: true }),
    toTeams: Type.Optional(Type.Array(TeamKey, { minItems: 1, uniqueItems: true })),
    exceptTeams: Type.Optional(Type.Array(TeamKey, { minItems: 1, uniqueItems: true })),
    outcomes: Type.Optional(Type.Array(DataKey, { minItems: 1, uniqueItems: true })),
  },
  closed,
);
export type GateScope = Static<typeof GateScope>;

/** A named gate: while `when` holds (always, if absent), `appliesTo` stays blocked until every check holds. */
export const Gate = Type.Object(
  {
    key: DataKey,
    label: Type.String({ minLength: 1, maxLength: 300 }),
    labelEn: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    when: Type.Optional(Type.Array(Condition, { minItems: 1 })),
    appliesTo: GateScope,
    checks: Type.Array(GateCheck, { minItems: 1 }),
  },
  closed,
);
export type Gate = Static<typeof Gate>;
