import { Type, type Static } from '@sinclair/typebox';
import { ChannelType } from './channels.js';
import { Attachment } from './api-webhook.js';

/** A customer's message as every channel adapter hands it to the router (queue `inbound`). */
export const InboundMessage = Type.Object({
  tenantId: Type.String(),
  channelId: Type.String(),
  channelType: ChannelType,
  /** The channel's own id of the message: unique per channel, the key that makes redelivery harmless. */
  externalMessageId: Type.String(),
  from: Type.Object({
    externalId: Type.String(),
    name: Type.Optional(Type.String()),
    phone: Type.Optional(Type.String()),
    email: Type.Optional(Type.String()),
  }),
  text: Type.Optional(Type.String()),
  attachments: Type.Array(Attachment),
  /** When the customer sent it, as the channel says (ISO 8601). */
  sentAt: Type.Optional(Type.String()),
  /**
   * When the adapter accepted it (ISO 8601), and so where it stands among the contact's messages: the router stores it
   * at this time. Messages taken in one go carry their order in the microseconds (`receivedAtOf`, received-at.ts).
   */
  receivedAt: Type.String(),
  /**
   * The conversation this message answers, when the channel knows it from its own threading (an email's
   * In-Reply-To/References): the router puts it there while that conversation is open, whoever on the thread wrote.
   */
  conversationHint: Type.Optional(Type.String({ format: 'uuid' })),
  /**
   * The channel's own id of the message this one answers (a quoted reply), in the same form as that channel's
   * `externalMessageId`: WhatsApp's `context.id` / `contextInfo.stanzaId`, Messenger's `reply_to.mid`, Telegram's
   * `<chat>/<reply_to_message.message_id>`, an email's In-Reply-To. The router links the two when it knows the quoted one.
   */
  replyToExternalId: Type.Optional(Type.String({ minLength: 1 })),
});
export type InboundMessage = Static<typeof InboundMessage>;

/** Fetch and keep the files of one inbound message the router stored (queue `media.fetch`, served by the gateway). */
export const MediaFetch = Type.Object({
  tenantId: Type.String(),
  messageId: Type.String(),
});
export type MediaFetch = Static<typeof MediaFetch>;

/** One delivery of an outbound message on a channel (queues `outbound.<type>`). */
export const OutboundDelivery = Type.Object({
  tenantId: Type.String(),
  deliveryId: Type.String(),
  messageId: Type.String(),
  /** 0 for the first send; an admin's replay of a failed delivery bumps it, so the replay gets a job of its own. */
  replay: Type.Integer({ minimum: 0 }),
});
export type OutboundDelivery = Static<typeof OutboundDelivery>;

/** Ask the router to hand queued conversations to agents with room (queue `routing`). */
export const DrainRequest = Type.Object({
  tenantId: Type.String(),
  teamIds: Type.Array(Type.String()),
  reason: Type.String(),
});
export type DrainRequest = Static<typeof DrainRequest>;

/**
 * What the ticket service's handling flow hears about a conversation (queue `handling`): a message of either
 * side, a change of status, or a live-chat customer leaving. Sapa's own system messages are not sent here:
 * they must not restart the clock they belong to.
 */
export const HandlingEvent = Type.Object({
  tenantId: Type.String(),
  conversationId: Type.String(),
  type: Type.Union([
    Type.Literal('customer_message'),
    Type.Literal('agent_message'),
    Type.Literal('status_changed'),
    Type.Literal('contact_left'),
  ]),
  /** The message's id for message events; makes the job id unique per event. */
  messageId: Type.Optional(Type.String()),
  /** When it happened (ISO 8601): a message's created_at, a status change's time. */
  at: Type.String(),
});
export type HandlingEvent = Static<typeof HandlingEvent>;

/** A timer of the handling flow (queue `timers`, delayed jobs): an inactivity nudge or the closing after silence. */
export const HandlingTimer = Type.Object({
  tenantId: Type.String(),
  conversationId: Type.String(),
  kind: Type.Union([
    Type.Literal('nudge1'),
    Type.Literal('nudge2'),
    Type.Literal('close'),
    Type.Literal('leave_nudge'),
    Type.Literal('leave_close'),
  ]),
  /** The conversation's nudge_seq when it was set: a timer whose seq is no longer current does nothing. */
  seq: Type.Integer({ minimum: 0 }),
});
export type HandlingTimer = Static<typeof HandlingTimer>;

/** A timed step of a ticket (queue `ticket.timers`, delayed jobs): its due time or a reminder of an SLA ladder. */
export const TicketTimerJob = Type.Object({
  tenantId: Type.String(),
  ticketId: Type.String(),
  /** The ticket_timers row: the job only asks; the row says whether it is still to fire. */
  timerId: Type.String(),
  /** When it was planned to fire (ISO 8601); a moved timer gets a new job. */
  fireAt: Type.String(),
});
export type TicketTimerJob = Static<typeof TicketTimerJob>;

/**
 * The first-response timer of one assignment (queue `routing.response`, delayed jobs): when it fires and the agent
 * has not answered since `assignedAt`, the router takes step `step` of the tenant's `routing.responseChain`.
 */
export const ResponseTimer = Type.Object({
  tenantId: Type.String(),
  conversationId: Type.String(),
  /** The assignment it watches (ISO 8601 of conversations.assigned_at); a later assignment makes it stale. */
  assignedAt: Type.String(),
  step: Type.Integer({ minimum: 0 }),
});
export type ResponseTimer = Static<typeof ResponseTimer>;
