import { Type, type Static } from '@sinclair/typebox';
import { AgentDto, Presence } from './agents.js';
import { ChannelSummary } from './channels.js';
import { ConversationDto, ConversationStatus, MessageDto } from './conversations.js';
import { DeliveryDto, DeliveryStatus } from './deliveries.js';

/** The cursor of the next page, or null on the last page. */
const NextCursor = Type.Union([Type.String(), Type.Null()]);
const Cursor = Type.String({ minLength: 1, maxLength: 200, description: 'the nextCursor of the previous page' });
const PageLimit = Type.Integer({ minimum: 1, maximum: 100, default: 50 });

/** Query of `GET /v1/conversations` (api-contract.md §Conversations). */
export const ConversationListQuery = Type.Object(
  {
    status: Type.Optional(ConversationStatus),
    assignee: Type.Optional(Type.Union([Type.Literal('me'), Type.String({ format: 'uuid' })], { description: '`me` or a user id' })),
    teamId: Type.Optional(Type.String({ format: 'uuid' })),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(PageLimit),
  },
  { additionalProperties: false },
);
export type ConversationListQuery = Static<typeof ConversationListQuery>;

export const ConversationPage = Type.Object({ items: Type.Array(ConversationDto), nextCursor: NextCursor });
export type ConversationPage = Static<typeof ConversationPage>;

/** Query of `GET /v1/conversations/{id}/messages` (oldest first). */
export const MessageListQuery = Type.Object(
  { cursor: Type.Optional(Cursor), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 200 })) },
  { additionalProperties: false },
);
export type MessageListQuery = Static<typeof MessageListQuery>;

export const MessagePage = Type.Object({ items: Type.Array(MessageDto), nextCursor: NextCursor });
export type MessagePage = Static<typeof MessagePage>;

/** The answer to `POST /v1/conversations/{id}/messages`: the reply is stored and on its way out. */
export const ReplyAccepted = Type.Object({ id: Type.String(), status: Type.Literal('queued') });
export type ReplyAccepted = Static<typeof ReplyAccepted>;

export const PresenceResponse = Type.Object({ status: Presence });
export type PresenceResponse = Static<typeof PresenceResponse>;

export const AgentList = Type.Object({ items: Type.Array(AgentDto) });
export type AgentList = Static<typeof AgentList>;

export const ChannelList = Type.Object({ items: Type.Array(ChannelSummary) });
export type ChannelList = Static<typeof ChannelList>;

/** Query of `GET /v1/deliveries` (admins look for `status=failed` to replay). */
export const DeliveryListQuery = Type.Object(
  { status: Type.Optional(DeliveryStatus), cursor: Type.Optional(Cursor), limit: Type.Optional(PageLimit) },
  { additionalProperties: false },
);
export type DeliveryListQuery = Static<typeof DeliveryListQuery>;

export const DeliveryPage = Type.Object({ items: Type.Array(DeliveryDto), nextCursor: NextCursor });
export type DeliveryPage = Static<typeof DeliveryPage>;
