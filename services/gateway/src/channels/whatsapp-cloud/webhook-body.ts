import { Type, type Static } from '@sinclair/typebox';

// The part of a WhatsApp Cloud API webhook Sapa reads (developers.facebook.com/docs/whatsapp/cloud-api/webhooks).
// Objects stay open: Meta adds fields and message types over time, and one Sapa does not read must never make a
// whole body (which may carry other customers' messages) unreadable.

const Media = Type.Object({
  id: Type.String({ minLength: 1 }),
  mime_type: Type.Optional(Type.String()),
  caption: Type.Optional(Type.String()),
  filename: Type.Optional(Type.String()),
});

const Reply = Type.Object({ id: Type.String(), title: Type.String() });

export const WhatsappMessage = Type.Object({
  /** The customer's WhatsApp id (their number, digits only). */
  from: Type.String({ minLength: 1 }),
  /** The `wamid`: unique, and the same on every redelivery. */
  id: Type.String({ minLength: 1 }),
  /** Unix seconds, as a string. */
  timestamp: Type.String({ pattern: '^[0-9]+$' }),
  type: Type.String(),
  text: Type.Optional(Type.Object({ body: Type.String() })),
  image: Type.Optional(Media),
  document: Type.Optional(Media),
  audio: Type.Optional(Media),
  video: Type.Optional(Media),
  location: Type.Optional(Type.Object({ latitude: Type.Number(), longitude: Type.Number() })),
  interactive: Type.Optional(Type.Object({ type: Type.String(), button_reply: Type.Optional(Reply), list_reply: Type.Optional(Reply) })),
  /** A quick-reply button of a template. */
  button: Type.Optional(Type.Object({ text: Type.String() })),
  /** A reply's quoted message: `id` is its wamid (absent on a forward, which says `forwarded` instead). */
  context: Type.Optional(Type.Object({ id: Type.Optional(Type.String()), from: Type.Optional(Type.String()) })),
});
export type WhatsappMessage = Static<typeof WhatsappMessage>;

export const WhatsappStatus = Type.Object({
  /** The `wamid` of the message Sapa sent. */
  id: Type.String({ minLength: 1 }),
  status: Type.String(),
});

export const WhatsappChangeValue = Type.Object({
  metadata: Type.Object({ phone_number_id: Type.String() }),
  contacts: Type.Optional(Type.Array(Type.Object({ wa_id: Type.String(), profile: Type.Optional(Type.Object({ name: Type.Optional(Type.String()) })) }))),
  messages: Type.Optional(Type.Array(WhatsappMessage)),
  statuses: Type.Optional(Type.Array(WhatsappStatus)),
});
export type WhatsappChangeValue = Static<typeof WhatsappChangeValue>;

/** One webhook POST: entries (business accounts), each with changes; one body may carry many messages. */
export const WhatsappWebhookBody = Type.Object({
  object: Type.String(),
  entry: Type.Array(Type.Object({ changes: Type.Array(Type.Object({ field: Type.String(), value: Type.Unknown() })) })),
});
