import { Type, type Static } from '@sinclair/typebox';
import { ChannelType } from './channels.js';
import { Attachment, LinkedAttachment } from './api-webhook.js';
import { WhatsappTemplateMessage } from './whatsapp-template.js';

export const CONVERSATION_STATUSES = ['queued', 'assigned', 'on_hold', 'closed'] as const;
export const ConversationStatus = Type.Union(CONVERSATION_STATUSES.map((s) => Type.Literal(s)));
export type ConversationStatus = Static<typeof ConversationStatus>;

/** Phases of customer-handling.md, in order. */
export const PHASES = [
  'greeting',
  'verification',
  'identify_need',
  'solution',
  'other_help',
  'cross_sell',
  'closing',
  'documented',
] as const;
export const Phase = Type.Union(PHASES.map((p) => Type.Literal(p)));
export type Phase = Static<typeof Phase>;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const ConversationDto = Type.Object(
  {
    id: Type.String(),
    channelId: Type.String(),
    channelType: ChannelType,
    contact: Type.Object({ id: Type.String(), name: Nullable(Type.String()) }),
    status: ConversationStatus,
    assigneeId: Nullable(Type.String()),
    teamId: Nullable(Type.String()),
    priority: Type.Integer(),
    phase: Phase,
    closeReason: Nullable(Type.String()),
    lastMessageAt: Nullable(Type.String()),
    createdAt: Type.String(),
  },
  { $id: 'Conversation' },
);
export type ConversationDto = Static<typeof ConversationDto>;

export const MESSAGE_STATUSES = ['received', 'queued', 'sent', 'delivered', 'read', 'failed'] as const;
export const MessageStatus = Type.Union(MESSAGE_STATUSES.map((s) => Type.Literal(s)));
export type MessageStatus = Static<typeof MessageStatus>;

export const AuthorType = Type.Union([Type.Literal('contact'), Type.Literal('agent'), Type.Literal('system')]);
export type AuthorType = Static<typeof AuthorType>;

/** What an agent sees of a mail beyond its text; `html` is sanitised (no scripts, styles, remote content handlers). */
export const EmailDetailsDto = Type.Object({
  subject: Nullable(Type.String()),
  from: Nullable(Type.String()),
  to: Type.Array(Type.String()),
  cc: Type.Array(Type.String()),
  html: Nullable(Type.String()),
  /** A delivery status notification that said this reply did not arrive. */
  bounce: Nullable(Type.Object({ action: Type.String(), status: Type.Optional(Type.String()), diagnostic: Type.Optional(Type.String()), at: Type.String() })),
});

export const MessageDto = Type.Object(
  {
    id: Type.String(),
    conversationId: Type.String(),
    direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
    authorType: AuthorType,
    authorId: Nullable(Type.String()),
    text: Nullable(Type.String()),
    attachments: Type.Array(Attachment),
    status: MessageStatus,
    createdAt: Type.String(),
    /** The message of the same conversation this one answers (a quoted reply), or null. */
    replyToMessageId: Nullable(Type.String()),
    /** On an email channel: the mail behind the message (`text` is its plain text). */
    email: Type.Optional(EmailDetailsDto),
  },
  { $id: 'Message' },
);
export type MessageDto = Static<typeof MessageDto>;

/**
 * Text, files, or both (at least one is checked in code). A file is one the agent uploaded (`POST /v1/attachments`
 * → `{id}`), or a link to one Sapa does not hold.
 */
export const TextReply = Type.Object(
  {
    text: Type.Optional(Type.String({ minLength: 1, maxLength: 65536 })),
    attachments: Type.Optional(
      Type.Array(Type.Union([Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false }), LinkedAttachment]), { maxItems: 20 }),
    ),
    /** A message of this conversation the reply answers: the channel shows it as a quote where it can. */
    replyToMessageId: Type.Optional(Type.String({ format: 'uuid' })),
  },
  { additionalProperties: false },
);
export type TextReply = Static<typeof TextReply>;

/** A WhatsApp template instead of text (whatsapp_cloud only): what may still reach a customer silent for over 24 hours. */
export const TemplateReply = Type.Object({ template: WhatsappTemplateMessage }, { additionalProperties: false });
export type TemplateReply = Static<typeof TemplateReply>;

export const ReplyBody = Type.Union([TextReply, TemplateReply]);
export type ReplyBody = Static<typeof ReplyBody>;

export const TransferBody = Type.Union([
  Type.Object({ agentId: Type.String({ format: 'uuid' }), note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
  Type.Object({ teamId: Type.String({ format: 'uuid' }), note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
]);
export type TransferBody = Static<typeof TransferBody>;

export const CloseBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false });
export type CloseBody = Static<typeof CloseBody>;
