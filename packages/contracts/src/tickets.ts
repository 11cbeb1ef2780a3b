import { Type, type Static } from '@sinclair/typebox';
import { PlaybookKey } from './playbooks-contacts.js';

// api-contract.md §Playbooks and tickets: a case taken from a conversation and worked along its playbook, hopping
// from the agent to Tier 2 to a related team and back (customer-handling.md §Tickets and dispatch).

export const TICKET_STATUSES = ['open', 'dispatched', 'resolved', 'closed'] as const;
export const TicketStatus = Type.Union(TICKET_STATUSES.map((s) => Type.Literal(s)));
export type TicketStatus = Static<typeof TicketStatus>;

/** A team key (`tier2`, `finance`, …), as playbooks name teams. */
export const TicketTeam = Type.String({ pattern: '^[a-z][a-z0-9_]*$', maxLength: 60 });

/** Field values by field key; each is checked against the playbook's field definition (400 naming the field). */
const TicketFields = Type.Object({}, { additionalProperties: true, description: 'values by the playbook field key; null clears a field' });

export const TicketDto = Type.Object({
  id: Type.String({ format: 'uuid' }),
  /** `YYYY-NNNNNN`, counted per tenant and year: what the customer is told. */
  number: Type.String(),
  conversationId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  playbookKey: PlaybookKey,
  /** The version the ticket started on; a later publish does not change its rules. */
  playbookVersion: Type.Integer({ minimum: 1 }),
  status: TicketStatus,
  /** The team key that holds it; null while it is with the agent who opened it. */
  team: Type.Union([Type.String(), Type.Null()]),
  fields: TicketFields,
  verification: Type.Object({ checked: Type.Array(Type.String()) }),
  outcome: Type.Union([Type.String(), Type.Null()]),
  /** When the playbook's SLA says the ticket must be done (its team's business hours where the SLA counts working hours). */
  dueAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  /** Past its due time while still open (or recorded so once): what `GET /v1/tickets?breached=true` lists. */
  breached: Type.Boolean(),
  breachedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  /** Set while the ticket waits on the customer: the due clock stands still. */
  waitingOnCustomerSince: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});
export type TicketDto = Static<typeof TicketDto>;

export const CreateTicketBody = Type.Object(
  { conversationId: Type.String({ format: 'uuid' }), playbookKey: PlaybookKey, fields: Type.Optional(TicketFields) },
  { additionalProperties: false },
);
export type CreateTicketBody = Static<typeof CreateTicketBody>;

export const TicketListQuery = Type.Object(
  {
    status: Type.Optional(TicketStatus),
    team: Type.Optional(TicketTeam),
    breached: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { description: 'only tickets past their due time, or only the others' })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'the nextCursor of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  },
  { additionalProperties: false },
);
export type TicketListQuery = Static<typeof TicketListQuery>;

export const TicketPage = Type.Object({ items: Type.Array(TicketDto), nextCursor: Type.Union([Type.String(), Type.Null()]) });
export type TicketPage = Static<typeof TicketPage>;

const ItemKey = Type.String({ pattern: '^[a-z][a-z0-9_]*$', maxLength: 100 });

export const VerificationBody = Type.Object({ checked: Type.Array(ItemKey, { minItems: 1, maxItems: 50 }) }, { additionalProperties: false });
export type VerificationBody = Static<typeof VerificationBody>;

/** Fields and/or the chosen outcome (an outcome key of the playbook whose conditions hold); at least one. */
export const TicketPatchBody = Type.Object(
  { fields: Type.Optional(TicketFields), outcome: Type.Optional(Type.Union([ItemKey, Type.Null()])) },
  { additionalProperties: false, minProperties: 1 },
);
export type TicketPatchBody = Static<typeof TicketPatchBody>;

export const TicketNoteBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false });
export type TicketNoteBody = Static<typeof TicketNoteBody>;

export const TicketExceptionBody = Type.Object(
  { gate: ItemKey, reason: Type.String({ minLength: 1, maxLength: 1000 }) },
  { additionalProperties: false },
);
export type TicketExceptionBody = Static<typeof TicketExceptionBody>;

/** An approval of a gate by whom the gate names (the supervisor for a bon while an earlier one is outstanding). */
export const TicketApprovalBody = Type.Object(
  { gate: ItemKey, note: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })) },
  { additionalProperties: false },
);
export type TicketApprovalBody = Static<typeof TicketApprovalBody>;

/** The ticket waits on the customer (documents, a transfer proof): its due clock stands still until resumed. */
export const TicketWaitBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false });
export type TicketWaitBody = Static<typeof TicketWaitBody>;

export const DispatchTicketBody = Type.Object(
  { team: TicketTeam, note: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 })) },
  { additionalProperties: false },
);
export type DispatchTicketBody = Static<typeof DispatchTicketBody>;

export const CloseTicketBody = Type.Object({ resolution: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false });
export type CloseTicketBody = Static<typeof CloseTicketBody>;

/** One entry of a ticket's append-only record (a note, an exception), as the routes that add one answer it. */
export const TicketEventDto = Type.Object({
  id: Type.String({ format: 'uuid' }),
  ticketId: Type.String({ format: 'uuid' }),
  kind: Type.String(),
  actorId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  gate: Type.Union([Type.String(), Type.Null()]),
  text: Type.Union([Type.String(), Type.Null()]),
  /** A hop's teams, and the due time when it was made. */
  fromTeam: Type.Union([Type.String(), Type.Null()]),
  toTeam: Type.Union([Type.String(), Type.Null()]),
  dueAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  /** What else the event records: the items checked, the field names changed, a reminder's ladder and step … */
  details: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String({ format: 'date-time' }),
});
export type TicketEventDto = Static<typeof TicketEventDto>;

export const TicketEventPage = Type.Object({ items: Type.Array(TicketEventDto) });
export type TicketEventPage = Static<typeof TicketEventPage>;
