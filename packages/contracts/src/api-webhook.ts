import { Type, type Static } from '@sinclair/typebox';

/** Largest webhook body the gateway reads (api-contract.md §Generic API channel: over 1 MiB → 413). */
export const MAX_WEBHOOK_BYTES = 1024 * 1024;
/** How far a signed timestamp may be from now, in seconds, before the signature is refused. */
export const SIGNATURE_WINDOW_SECONDS = 300;

/**
 * A file on a message. Arriving, `url` is where the channel keeps it (an https URL, or a channel reference such as
 * `whatsapp-media:<id>` / `telegram-file:<id>` that only the channel's adapter can fetch). Once Sapa holds the bytes
 * (@sapa/attachments), `id` names the stored file and readers are given a short-lived signed `url` to it.
 */
export const Attachment = Type.Object(
  {
    url: Type.String({ format: 'uri', maxLength: 4096 }),
    contentType: Type.String({ minLength: 1, maxLength: 255 }),
    filename: Type.Optional(Type.String({ maxLength: 255 })),
    /** The stored file (table `attachments`), once Sapa holds its bytes. */
    id: Type.Optional(Type.String({ format: 'uuid' })),
    size: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Why Sapa could not take the file (`attachment_too_large`, `attachment_type_refused`, `attachment_unavailable`): kept, not lost. */
    error: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type Attachment = Static<typeof Attachment>;

/**
 * A file as an outsider names it (an integrator's webhook, an agent linking a file Sapa does not hold): where it
 * is and what it says it is. No `id`: only Sapa names the files it holds, so no one can point a message at a
 * stored file by guessing or borrowing its id.
 */
export const LinkedAttachment = Type.Object(
  {
    url: Type.String({ format: 'uri', maxLength: 4096 }),
    contentType: Type.String({ minLength: 1, maxLength: 255 }),
    filename: Type.Optional(Type.String({ maxLength: 255 })),
  },
  { additionalProperties: false },
);
export type LinkedAttachment = Static<typeof LinkedAttachment>;

/** Body of `POST /webhooks/api/{channelId}`. At least one of `text` / `attachments` is checked in code. */
export const ApiWebhookBody = Type.Object(
  {
    messageId: Type.String({ minLength: 1, maxLength: 255 }),
    from: Type.Object({
      id: Type.String({ minLength: 1, maxLength: 255 }),
      name: Type.Optional(Type.String({ maxLength: 255 })),
      phone: Type.Optional(Type.String({ maxLength: 64 })),
      email: Type.Optional(Type.String({ maxLength: 320 })),
    }),
    text: Type.Optional(Type.String({ maxLength: 65536 })),
    attachments: Type.Optional(Type.Array(LinkedAttachment, { maxItems: 20 })),
    timestamp: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.String({ format: 'date-time' })])),
    /**
     * The message this one answers: the `messageId` of an earlier message of the integrator's, or the `messageId` of a
     * reply Sapa posted to the callbackUrl. Unknown ids are taken and leave the message unlinked.
     */
    replyToMessageId: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  },
  { $id: 'ApiWebhookBody' },
);
export type ApiWebhookBody = Static<typeof ApiWebhookBody>;

/** Body Sapa POSTs to an api channel's `callbackUrl` when an agent (or Sapa) replies. */
export const ApiCallbackBody = Type.Object({
  messageId: Type.String(),
  conversationId: Type.String(),
  to: Type.Object({ id: Type.String() }),
  text: Type.Optional(Type.String()),
  attachments: Type.Optional(Type.Array(Attachment)),
  /** The message this reply answers, by the `messageId` the integrator knows it by (theirs, or one of Sapa's callbacks). */
  replyTo: Type.Optional(Type.Object({ messageId: Type.String() })),
  author: Type.Object({
    type: Type.Union([Type.Literal('agent'), Type.Literal('system')]),
    id: Type.Union([Type.String(), Type.Null()]),
    name: Type.String(),
  }),
});
export type ApiCallbackBody = Static<typeof ApiCallbackBody>;
