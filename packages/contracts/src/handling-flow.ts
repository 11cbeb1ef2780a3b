import { Type, type Static } from '@sinclair/typebox';
import { Phase } from './conversations.js';

// api-contract.md §Handling flow: moving a conversation through the phases, the record QC reads, and the
// texts Sapa suggests to the agent.

/** `POST /v1/conversations/{id}/phase`. Skipping phases needs a `skipReason`, which is stored with each skipped phase. */
export const PhaseChangeBody = Type.Object(
  {
    phase: Phase,
    skipReason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type PhaseChangeBody = Static<typeof PhaseChangeBody>;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** One line of the phase record: a phase entered (or skipped, with the reason), by whom and when. */
export const PhaseRecordEntry = Type.Object({
  phase: Phase,
  skipped: Type.Boolean(),
  skipReason: Nullable(Type.String()),
  /** Who moved the conversation; null for the phase it opened in. */
  actorId: Nullable(Type.String()),
  at: Type.String({ description: 'ISO 8601' }),
});
export type PhaseRecordEntry = Static<typeof PhaseRecordEntry>;

/** `GET /v1/conversations/{id}/phases`: the current phase and every step, oldest first. */
export const PhaseRecord = Type.Object({
  conversationId: Type.String(),
  phase: Phase,
  items: Type.Array(PhaseRecordEntry),
});
export type PhaseRecord = Static<typeof PhaseRecord>;

/** `GET /v1/conversations/{id}/suggestions`: the tenant's templates filled for this conversation now. */
export const HandlingSuggestions = Type.Object({
  greeting: Type.String(),
  closing: Type.String(),
  nudge: Type.String(),
});
export type HandlingSuggestions = Static<typeof HandlingSuggestions>;
