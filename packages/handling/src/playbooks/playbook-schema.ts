import { Type, type Static } from '@sinclair/typebox';
import { Condition, DataKey } from './condition-schema.js';
import { CONTACT_ATTRIBUTES, Gate, TeamKey } from './gate-schema.js';
import { Due, Sla } from './sla-schema.js';

// complaint-playbooks.md §What a playbook holds. Every number and gate of the SOP is data here; the code only reads it.
// Texts are Indonesian as the seed has them, with optional English (`…En`) beside them.

const closed = { additionalProperties: false } as const;
const Label = Type.String({ minLength: 1, maxLength: 300 });
const Text = Type.String({ minLength: 1, maxLength: 2000 });

/** The SOP tables: Tiket Deposit, Bon / TOP, Transaksi, Gagal Registrasi, Gagal Login, OTP, Akun dan Aplikasi, Penipuan. */
export const PLAYBOOK_GROUPS = ['deposit', 'bon', 'transaction', 'registration', 'login', 'otp', 'account', 'fraud'] as const;
export type PlaybookGroup = (typeof PLAYBOOK_GROUPS)[number];

/** The demo tenant's team keys (api-contract.md §Playbooks and tickets). */
export const DEMO_TEAM_KEYS = ['tier2', 'finance', 'backend', 'admin_server', 'it', 'supervisor'] as const;

/**
 * Field types: `money` is whole rupiah; `phone` an Indonesian number; `bank_account` an account number (digits);
 * `agent_id` the network's agent ID; `attachment` a message attachment id (transfer proof, screenshot).
 */
export const FIELD_TYPES = ['text', 'long_text', 'number', 'money', 'phone', 'date', 'datetime', 'enum', 'boolean', 'bank_account', 'agent_id', 'attachment'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const EnumValue = Type.Object({ value: DataKey, label: Label, labelEn: Type.Optional(Label) }, closed);

/** Data the agent must collect. `required` fields are needed before the ticket is dispatched or resolved. */
export const PlaybookField = Type.Object(
  {
    key: DataKey,
    label: Label,
    labelEn: Type.Optional(Label),
    type: Type.Union(FIELD_TYPES.map((t) => Type.Literal(t))),
    required: Type.Boolean({ default: false }),
    values: Type.Optional(Type.Array(EnumValue, { minItems: 1 })),
    /** What the agent must mind, from the SOP ("WAJIB SESUAI TIKET"). */
    hint: Type.Optional(Text),
    /** Personal or financial data: never logged in clear. */
    sensitive: Type.Boolean({ default: false }),
  },
  closed,
);
export type PlaybookField = Static<typeof PlaybookField>;

/** complaint-playbooks.md §Verification items: Wajib / Sangat Wajib / Opsional. */
export const VERIFICATION_LEVELS = ['mandatory', 'strongly_mandatory', 'optional'] as const;

export const VerificationItem = Type.Object(
  {
    key: DataKey,
    label: Label,
    labelEn: Type.Optional(Label),
    level: Type.Union(VERIFICATION_LEVELS.map((l) => Type.Literal(l)), { default: 'mandatory' }),
    /** The contact attribute the answer is compared with, shown to the agent beside the item. */
    contactAttribute: Type.Optional(Type.Union(CONTACT_ATTRIBUTES.map((a) => Type.Literal(a)))),
  },
  closed,
);
export type VerificationItem = Static<typeof VerificationItem>;

/** `{kOf: 3}`: at least 3 of the items; `{all: true}`: every item that is not `optional`. */
export const VerificationRule = Type.Union([
  Type.Object({ kOf: Type.Integer({ minimum: 1 }) }, closed),
  Type.Object({ all: Type.Literal(true) }, closed),
]);
export type VerificationRule = Static<typeof VerificationRule>;

/**
 * Which items the agent checks and how many must hold. `strict` (the seed's "verifikasi ketat"): every item, optional
 * ones too, and no exception waives it; it needs `rule: {all: true}`.
 */
export const Verification = Type.Object(
  { items: Type.Array(VerificationItem, { minItems: 1 }), rule: VerificationRule, strict: Type.Boolean({ default: false }) },
  closed,
);
export type Verification = Static<typeof Verification>;

/** One line of the agent's checklist, in order, with its time standard ("< 30 Detik") or a wait ("setelah 10 menit"). */
export const PlaybookStep = Type.Object(
  {
    text: Text,
    textEn: Type.Optional(Text),
    withinSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
    waitMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_080 })),
    note: Type.Optional(Text),
  },
  closed,
);
export type PlaybookStep = Static<typeof PlaybookStep>;

export const PRIORITIES = ['normal', 'high', 'urgent'] as const;
const Priority = Type.Union(PRIORITIES.map((p) => Type.Literal(p)));

/**
 * A branch the agent can choose: `promise` is what the agent tells the customer (the SOP forbids promising more),
 * `dispatchTo` the related team that carries it out, `due` its time, `nextPlaybook` a case that continues in another
 * playbook; `when` says on which collected data the SOP takes this branch.
 */
export const PlaybookOutcome = Type.Object(
  {
    key: DataKey,
    label: Label,
    labelEn: Type.Optional(Label),
    when: Type.Optional(Type.Array(Condition, { minItems: 1 })),
    promise: Text,
    promiseEn: Type.Optional(Text),
    dispatchTo: Type.Optional(TeamKey),
    due: Type.Optional(Due),
    nextPlaybook: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    priority: Type.Optional(Priority),
    /** What the related team does, as the SOP says it ("Tindakan Eskalasi"). */
    teamAction: Type.Optional(Text),
  },
  closed,
);
export type PlaybookOutcome = Static<typeof PlaybookOutcome>;

/** A playbook: one row of an SOP table, as data. Its key starts with its group (`account.balance_withdrawal`). */
export const Playbook = Type.Object(
  {
    key: Type.String({ pattern: '^[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*$', maxLength: 100 }),
    group: Type.Union(PLAYBOOK_GROUPS.map((g) => Type.Literal(g))),
    title: Label,
    titleEn: Type.Optional(Label),
    /** Set by the service when it publishes (`PUT /v1/playbooks`); a file may leave it out (1). */
    version: Type.Integer({ minimum: 1, default: 1 }),
    priority: Type.Union(PRIORITIES.map((p) => Type.Literal(p)), { default: 'normal' }),
    /** The related team that handles the case when an outcome names none. */
    dispatchTo: Type.Optional(TeamKey),
    fields: Type.Array(PlaybookField, { default: [] }),
    verification: Type.Optional(Verification),
    steps: Type.Array(PlaybookStep, { minItems: 1 }),
    outcomes: Type.Array(PlaybookOutcome, { minItems: 1 }),
    sla: Type.Optional(Sla),
    gates: Type.Array(Gate, { default: [] }),
  },
  closed,
);
export type Playbook = Static<typeof Playbook>;

/** complaint-playbooks.md §Service levels (the tenant's targets, reported by `GET /v1/reports/service-level`). */
export const ServiceLevels = Type.Object(
  {
    responseTimeSeconds: Type.Integer({ minimum: 1 }),
    responseTimeWithinOperatingHours: Type.Boolean(),
    fcrTargetPercent: Type.Number({ minimum: 0, maximum: 100 }),
    fcrScope: Text,
    resolutionTime: Text,
  },
  closed,
);
export type ServiceLevels = Static<typeof ServiceLevels>;

/** The SOP's risk table (Kesalahan Pemberian Informasi & Mitigasi Resiko): what the agent must do and what it risks. */
export const ConductRule = Type.Object({ key: DataKey, risk: Label, rule: Text, impact: Text }, closed);
export type ConductRule = Static<typeof ConductRule>;

/** A playbook file (`data/playbooks-demo.json`) or a `PUT /v1/playbooks` body: `{items}` with optional metadata. */
export const PlaybookFile = Type.Object(
  {
    source: Type.Optional(Text),
    note: Type.Optional(Text),
    serviceLevels: Type.Optional(ServiceLevels),
    conduct: Type.Optional(Type.Array(ConductRule)),
    items: Type.Array(Playbook, { minItems: 1 }),
  },
  closed,
);
export type PlaybookFile = Static<typeof PlaybookFile>;
