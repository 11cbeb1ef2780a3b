import { Type, type Static } from '@sinclair/typebox';

// The part of a Messenger Platform webhook Sapa reads, for Messenger (`object: "page"`) and Instagram
// (`object: "instagram"`) alike (developers.facebook.com/docs/messenger-platform/webhooks,
// …/instagram/features/webhook). Objects stay open: Meta adds fields and event types over time, and one Sapa does not
// read must never make a whole body (which may carry other customers' messages) unreadable.

const Id = Type.Object({ id: Type.String({ minLength: 1 }) });

const MessagingAttachment = Type.Object({
  /** `image`, `video`, `audio`, `file`; also `fallback`, `template`, Instagram's `share`, `story_mention`, `ig_reel`… */
  type: Type.String(),
  payload: Type.Optional(Type.Object({ url: Type.Optional(Type.String()) })),
});

export const MessagingMessage = Type.Object({
  /** The message id: unique, and the same on every redelivery. */
  mid: Type.String({ minLength: 1 }),
  text: Type.Optional(Type.String()),
  /** A copy of a message the Page (or Instagram account) sent itself: Sapa's own replies, or one typed in Meta's inbox. */
  is_echo: Type.Optional(Type.Boolean()),
  is_deleted: Type.Optional(Type.Boolean()),
  is_unsupported: Type.Optional(Type.Boolean()),
  /** A tapped quick reply: `text` holds its title, `payload` what the sender of the quick replies chose to get back. */
  quick_reply: Type.Optional(Type.Object({ payload: Type.Optional(Type.String()) })),
  /** The message it answers (`reply_to.mid`), or a story (`reply_to.story`). */
  reply_to: Type.Optional(Type.Object({ mid: Type.Optional(Type.String()) })),
  attachments: Type.Optional(Type.Array(MessagingAttachment)),
});
export type MessagingMessage = Static<typeof MessagingMessage>;

export const MessagingEvent = Type.Object({
  /** The customer (PSID on Messenger, IGSID on Instagram); the Page itself on an echo. */
  sender: Id,
  recipient: Id,
  /** Milliseconds since the epoch. Absent on some delivery events. */
  timestamp: Type.Optional(Type.Number()),
  message: Type.Optional(MessagingMessage),
  /** Messenger's `message_deliveries`: the `mids` delivered, and a watermark in ms. */
  delivery: Type.Optional(Type.Object({ mids: Type.Optional(Type.Array(Type.String())), watermark: Type.Optional(Type.Number()) })),
  /** Messenger's `message_reads` (`watermark`, ms) or Instagram's `messaging_seen` (`mid`). */
  read: Type.Optional(Type.Object({ watermark: Type.Optional(Type.Number()), mid: Type.Optional(Type.String()) })),
  /** A tapped button (get started, a persistent menu item, an Instagram icebreaker): its title is what the customer saw. */
  postback: Type.Optional(Type.Object({ title: Type.Optional(Type.String()), payload: Type.Optional(Type.String()), mid: Type.Optional(Type.String()) })),
});
export type MessagingEvent = Static<typeof MessagingEvent>;

/** One webhook POST: entries (one per Page or Instagram account), each with its `messaging` events. */
export const MessagingWebhookBody = Type.Object({
  object: Type.String(),
  entry: Type.Array(
    Type.Object({
      /** The Page id (Messenger) or the Instagram professional account id (Instagram). */
      id: Type.String(),
      time: Type.Optional(Type.Number()),
      /** Absent on entries of other fields (`changes` of feed or comments), which carry no messages. */
      messaging: Type.Optional(Type.Array(Type.Unknown())),
    }),
  ),
});
