import { Type, type Static } from '@sinclair/typebox';

// The part of the Bot API's Update that Sapa reads (core.telegram.org/bots/api#update). Objects stay open:
// Telegram adds fields over time, and a field Sapa does not read must never make an update unreadable.

const FileRef = { file_id: Type.String({ minLength: 1 }) };
const Named = { file_name: Type.Optional(Type.String()), mime_type: Type.Optional(Type.String()) };

const TelegramChat = Type.Object({
  id: Type.Integer(),
  /** `private`, `group`, `supergroup` or `channel`. */
  type: Type.String(),
  first_name: Type.Optional(Type.String()),
  last_name: Type.Optional(Type.String()),
  username: Type.Optional(Type.String()),
});

const TelegramUser = Type.Object({
  id: Type.Integer(),
  first_name: Type.String(),
  last_name: Type.Optional(Type.String()),
  username: Type.Optional(Type.String()),
});

export const TelegramMessage = Type.Object({
  /** Unique inside its chat, and the same on every redelivery and edit of the message. */
  message_id: Type.Integer(),
  /** Unix seconds. */
  date: Type.Integer(),
  edit_date: Type.Optional(Type.Integer()),
  chat: TelegramChat,
  from: Type.Optional(TelegramUser),
  text: Type.Optional(Type.String()),
  caption: Type.Optional(Type.String()),
  /** One photo in several sizes, smallest first. */
  photo: Type.Optional(Type.Array(Type.Object(FileRef))),
  document: Type.Optional(Type.Object({ ...FileRef, ...Named })),
  audio: Type.Optional(Type.Object({ ...FileRef, ...Named })),
  video: Type.Optional(Type.Object({ ...FileRef, ...Named })),
  voice: Type.Optional(Type.Object({ ...FileRef, mime_type: Type.Optional(Type.String()) })),
  video_note: Type.Optional(Type.Object(FileRef)),
  location: Type.Optional(Type.Object({ latitude: Type.Number(), longitude: Type.Number() })),
  /** The message of the same chat this one answers (Telegram leaves out its own reply_to_message). */
  reply_to_message: Type.Optional(Type.Object({ message_id: Type.Integer() })),
});
export type TelegramMessage = Static<typeof TelegramMessage>;

/** A webhook body: exactly one update; at most one of its optional fields is present. */
export const TelegramUpdate = Type.Object({
  update_id: Type.Integer({ minimum: 0 }),
  message: Type.Optional(TelegramMessage),
  edited_message: Type.Optional(TelegramMessage),
});
export type TelegramUpdate = Static<typeof TelegramUpdate>;
