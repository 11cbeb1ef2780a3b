import { Type, type Static } from '@sinclair/typebox';

/** Something a channel received and could not read, kept instead of lost (a mail, an AMI frame, a live chat frame). */
export const QuarantinedDto = Type.Object({
  id: Type.String(),
  channelId: Type.Union([Type.String(), Type.Null()]),
  /** Which reader gave up: `email`, `ami`, `livechat`, `whatsapp_baileys`, … */
  source: Type.String(),
  reason: Type.String(),
  /** Where it came from (mailbox and UID, call id, …). */
  details: Type.Record(Type.String(), Type.Unknown()),
  size: Type.Integer({ minimum: 0 }),
  createdAt: Type.String(),
  resolvedAt: Type.Union([Type.String(), Type.Null()]),
});
export type QuarantinedDto = Static<typeof QuarantinedDto>;

export const QuarantineListQuery = Type.Object(
  {
    /** `open` (default): not yet looked at; `resolved`; `all`. */
    state: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('resolved'), Type.Literal('all')])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);
export type QuarantineListQuery = Static<typeof QuarantineListQuery>;

export const QuarantinePage = Type.Object({ items: Type.Array(QuarantinedDto) });
