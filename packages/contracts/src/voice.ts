import { Type, type Static } from '@sinclair/typebox';

/**
 * Voice channels (issue 8 item 3; api-contract.md §Channel types): call events from a PBX, by a signed webhook or read
 * off Asterisk's AMI, in one model. A call is a conversation of kind `voice` with a call record beside it.
 */

/** What can happen to a call, in the order it happens; `ended` and `missed` are final. */
export const CALL_EVENTS = ['ringing', 'answered', 'ended', 'missed'] as const;
export const CallEventType = Type.Union(CALL_EVENTS.map((e) => Type.Literal(e)));
export type CallEventType = Static<typeof CallEventType>;

/** Why a call was missed: nobody picked up, the caller hung up while waiting (a queue abandon), or the line was busy. */
export const MISSED_REASONS = ['no_answer', 'abandoned', 'busy', 'unavailable'] as const;
export const MissedReason = Type.Union(MISSED_REASONS.map((r) => Type.Literal(r)));
export type MissedReason = Static<typeof MissedReason>;

/**
 * Who dialled: the customer (`inbound`, the default: events without a direction are inbound, as before outbound calls
 * were tracked) or an agent's extension (`outbound`: a callback, or any call an agent places to a customer).
 */
export const CALL_DIRECTIONS = ['inbound', 'outbound'] as const;
export const CallDirection = Type.Union(CALL_DIRECTIONS.map((d) => Type.Literal(d)));
export type CallDirection = Static<typeof CallDirection>;

/** A PBX extension (`201`, `8001`): digits, as dial plans and softphones such as MicroSIP use them. */
export const ExtensionPattern = '^[0-9]{1,20}$';
/** A phone number as a PBX shows it (`+6281234567890`, `081234567890`), or `anonymous` for a withheld caller id. */
const PhoneNumber = Type.String({ pattern: '^(\\+?[0-9]{2,32}|anonymous)$' });

/**
 * Body of `POST /webhooks/voice/{channelId}`, signed like the api channel (X-Sapa-Timestamp, X-Sapa-Signature).
 * `callId` is the PBX's id of the call, the same on every event of one call; one event of one call (at one extension)
 * sent twice changes nothing. `ended` means the call was answered and is over; a call nobody answered is `missed`.
 *
 * The fields name the sides of the call, whichever side dialled: `caller` is always the customer's number,
 * `calledNumber` the center's line, `agentExtension` the agent's phone. So for an `outbound` call (an agent dialled
 * the customer) `caller` holds the number the agent dialled, `agentExtension` the extension that placed the call,
 * `calledNumber` the line it went out on; `answered` means the customer picked up, `missed` that they did not.
 */
export const VoiceWebhookBody = Type.Object(
  {
    callId: Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' }),
    event: CallEventType,
    /** Who dialled (default `inbound`); the first event of a call that Sapa applies decides it for the whole call. */
    direction: Type.Optional(CallDirection),
    /** The customer's number: who rang the center, or (outbound) whom the agent rang; never `anonymous` outbound. */
    caller: PhoneNumber,
    callerName: Type.Optional(Type.String({ maxLength: 255 })),
    /** The center's line: the number the customer dialled, or (outbound) the line the call went out on. */
    calledNumber: Type.Optional(Type.String({ maxLength: 64 })),
    /**
     * The extension that rings or took the call, or (outbound) that placed it; Sapa finds the agent by it
     * (PUT /v1/agents/{id} `{extension}`).
     */
    agentExtension: Type.Optional(Type.String({ pattern: ExtensionPattern })),
    /** Where the recording of an answered call can be fetched. */
    recordingUrl: Type.Optional(Type.String({ format: 'uri', maxLength: 4096 })),
    /** For `missed`: why (default `no_answer`). */
    reason: Type.Optional(MissedReason),
    /** When it happened: unix seconds or ISO 8601 (default: when the gateway received it). */
    timestamp: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.String({ format: 'date-time' })])),
  },
  { additionalProperties: false, $id: 'VoiceWebhookBody' },
);
export type VoiceWebhookBody = Static<typeof VoiceWebhookBody>;

/** One call event as every source (webhook, AMI) hands it to the voice service (queue `voice.events`). */
export const CallEvent = Type.Object({
  tenantId: Type.String(),
  channelId: Type.String(),
  callId: Type.String(),
  event: CallEventType,
  /** Absent: `inbound` (jobs queued before outbound calls were tracked). Field mapping as in `VoiceWebhookBody`. */
  direction: Type.Optional(CallDirection),
  /** The customer's number, whichever side dialled. */
  caller: Type.String(),
  callerName: Type.Optional(Type.String()),
  calledNumber: Type.Optional(Type.String()),
  agentExtension: Type.Optional(Type.String()),
  recordingUrl: Type.Optional(Type.String()),
  reason: Type.Optional(MissedReason),
  /** When it happened (ISO 8601). */
  at: Type.String(),
  source: Type.Union([Type.Literal('webhook'), Type.Literal('ami')]),
});
export type CallEvent = Static<typeof CallEvent>;

/** Config of a `voice` channel as an admin sends it (api-contract.md §Channel types); the AMI secret is stored sealed. */
export const VoiceChannelConfig = Type.Object(
  {
    provider: Type.Union([Type.Literal('webhook'), Type.Literal('asterisk_ami')]),
    ami: Type.Optional(
      Type.Object(
        {
          host: Type.String({ minLength: 1, maxLength: 255, pattern: '^[A-Za-z0-9.:_-]+$' }),
          port: Type.Integer({ minimum: 1, maximum: 65535 }),
          user: Type.String({ minLength: 1, maxLength: 100 }),
          secret: Type.String({ minLength: 1, maxLength: 255 }),
          /** Where the PBX serves MixMonitor recordings over HTTP; a recording's link is this plus its file name. */
          recordingBaseUrl: Type.Optional(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2048 })),
          /** Click-to-call: the dialplan context the customer's number is dialled in once the agent picks up (default `from-internal`). */
          originateContext: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,80}$' })),
          /** Click-to-call: how the agent's phone is reached, `<technology>/<extension>` (default `PJSIP`). */
          endpointTechnology: Type.Optional(Type.Union([Type.Literal('PJSIP'), Type.Literal('SIP'), Type.Literal('IAX2')])),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type VoiceChannelConfig = Static<typeof VoiceChannelConfig>;

/**
 * Queue `voice.originate`: an agent's click-to-call (`POST /v1/conversations/{id}/call`). The voice service sends the
 * channel's PBX an AMI `Originate`: the agent's extension rings first, then the customer's number is dialled; the
 * call itself is then read off AMI like any outbound call.
 */
export const OriginateRequest = Type.Object({
  tenantId: Type.String(),
  channelId: Type.String(),
  conversationId: Type.String(),
  agentId: Type.String(),
  /** The agent's extension, rung first. */
  extension: Type.String({ pattern: ExtensionPattern }),
  /** The customer's number, dialled once the agent picks up. */
  number: Type.String(),
  /** Shown on the agent's phone while it rings. */
  customerName: Type.Optional(Type.String()),
  /** When the agent asked (ISO 8601): a request not placed soon after is dropped rather than ring a phone late. */
  requestedAt: Type.String(),
});
export type OriginateRequest = Static<typeof OriginateRequest>;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const CALL_STATUSES = ['ringing', 'answered', 'ended', 'missed'] as const;

/** A call record: `GET /v1/conversations/{id}/calls`. Times are ISO 8601; `durationSeconds` runs from answer to end. */
export const CallDto = Type.Object(
  {
    id: Type.String(),
    conversationId: Nullable(Type.String()),
    channelId: Type.String(),
    callId: Type.String(),
    status: Type.Union(CALL_STATUSES.map((s) => Type.Literal(s))),
    direction: CallDirection,
    /** The customer's number, whichever side dialled (see `VoiceWebhookBody`). */
    caller: Type.String(),
    calledNumber: Nullable(Type.String()),
    agentExtension: Nullable(Type.String()),
    agentId: Nullable(Type.String()),
    ringingAt: Nullable(Type.String()),
    answeredAt: Nullable(Type.String()),
    endedAt: Nullable(Type.String()),
    durationSeconds: Nullable(Type.Integer({ minimum: 0 })),
    recordingUrl: Nullable(Type.String()),
    missedReason: Nullable(MissedReason),
    /** A missed call that asks an agent to call the customer back. */
    callback: Type.Boolean(),
    createdAt: Type.String(),
  },
  { $id: 'Call' },
);
export type CallDto = Static<typeof CallDto>;

export const CALLBACK_TASK_STATUSES = ['open', 'done', 'closed'] as const;

/**
 * The callback task of a conversation: asked by a missed call, done by the first call that reaches the customer (an
 * agent's outbound call answered, or the customer's own call answered); an outbound call nobody answered counts as an
 * attempt and leaves it open. `closed`: its conversation closed (by hand, most often) before any call reached the customer.
 */
export const CallbackTaskDto = Type.Object(
  {
    id: Type.String(),
    status: Type.Union(CALLBACK_TASK_STATUSES.map((s) => Type.Literal(s))),
    /** Outbound calls to the customer that nobody answered. */
    attempts: Type.Integer({ minimum: 0 }),
    lastAttemptAt: Nullable(Type.String()),
    doneAt: Nullable(Type.String()),
    /** The call (`Call.id`) that reached the customer. */
    doneByCallId: Nullable(Type.String()),
    createdAt: Type.String(),
  },
  { $id: 'CallbackTask' },
);
export type CallbackTaskDto = Static<typeof CallbackTaskDto>;

export const CallList = Type.Object({
  items: Type.Array(CallDto),
  /** The conversation's latest callback task; null when no missed call asked for one. */
  callbackTask: Nullable(CallbackTaskDto),
});
export type CallList = Static<typeof CallList>;

/** Answer of `POST /v1/conversations/{id}/call`: the PBX is asked to ring the agent's phone, then the customer. */
export const CallStarted = Type.Object(
  {
    status: Type.Literal('dialling'),
    /** The agent's extension, rung first. */
    extension: Type.String(),
    /** The customer's number, dialled once the agent picks up. */
    number: Type.String(),
  },
  { $id: 'CallStarted' },
);
export type CallStarted = Static<typeof CallStarted>;
