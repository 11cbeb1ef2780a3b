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

/** A PBX extension (`201`, `8001`): digits, as dial plans and softphones such as MicroSIP use them. */
export const ExtensionPattern = '^[0-9]{1,20}$';
/** A phone number as a PBX shows it (`+6281234567890`, `081234567890`), or `anonymous` for a withheld caller id. */
const PhoneNumber = Type.String({ pattern: '^(\\+?[0-9]{2,32}|anonymous)$' });

/**
 * Body of `POST /webhooks/voice/{channelId}`, signed like the api channel (X-Sapa-Timestamp, X-Sapa-Signature).
 * `callId` is the PBX's id of the call, the same on every event of one call; one event of one call (at one extension)
 * sent twice changes nothing. `ended` means the call was answered and is over; a call nobody answered is `missed`.
 */
export const VoiceWebhookBody = Type.Object(
  {
    callId: Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' }),
    event: CallEventType,
    /** The customer's number. */
    caller: PhoneNumber,
    callerName: Type.Optional(Type.String({ maxLength: 255 })),
    /** The number the customer dialled (the center's line). */
    calledNumber: Type.Optional(Type.String({ maxLength: 64 })),
    /** The extension that rings or took the call; Sapa finds the agent by it (PUT /v1/agents/{id} `{extension}`). */
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
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type VoiceChannelConfig = Static<typeof VoiceChannelConfig>;

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

export const CallList = Type.Object({ items: Type.Array(CallDto) });
export type CallList = Static<typeof CallList>;
