import { Type, type Static } from '@sinclair/typebox';

/** Every channel type of the contract (api-contract.md §Channel types). */
export const CHANNEL_TYPES = [
  'api',
  'whatsapp_cloud',
  'whatsapp_baileys',
  'messenger',
  'instagram',
  'telegram',
  'email',
  'livechat',
  'voice',
] as const;
export const ChannelType = Type.Union(CHANNEL_TYPES.map((t) => Type.Literal(t)));
export type ChannelType = Static<typeof ChannelType>;

/** The capacity bucket a channel's conversations count against: an agent has one capacity per kind. */
export const CHANNEL_KINDS = ['chat', 'email', 'voice'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

const KIND_OF: Record<ChannelType, ChannelKind> = {
  api: 'chat',
  whatsapp_cloud: 'chat',
  whatsapp_baileys: 'chat',
  messenger: 'chat',
  instagram: 'chat',
  telegram: 'chat',
  livechat: 'chat',
  email: 'email',
  voice: 'voice',
};

/** Which capacity bucket a conversation on this channel type uses. */
export function channelKindOf(type: ChannelType): ChannelKind {
  return KIND_OF[type];
}

export const ChannelStatus = Type.Union([
  Type.Literal('active'),
  Type.Literal('pairing'),
  Type.Literal('disconnected'),
  Type.Literal('error'),
  Type.Literal('disabled'),
]);
export type ChannelStatus = Static<typeof ChannelStatus>;

/** Config of the generic API channel: where Sapa POSTs agents' replies. */
export const ApiChannelConfig = Type.Object(
  { callbackUrl: Type.String({ format: 'uri', pattern: '^https?://' }) },
  { additionalProperties: false },
);
export type ApiChannelConfig = Static<typeof ApiChannelConfig>;

export const CreateChannelBody = Type.Object(
  {
    type: ChannelType,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    teamId: Type.Optional(Type.String({ format: 'uuid' })),
    config: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
);
export type CreateChannelBody = Static<typeof CreateChannelBody>;

/** A channel as listed to admins: never carries secrets. */
export const ChannelSummary = Type.Object({
  id: Type.String(),
  type: ChannelType,
  name: Type.String(),
  teamId: Type.Union([Type.String(), Type.Null()]),
  status: ChannelStatus,
});
export type ChannelSummary = Static<typeof ChannelSummary>;

/** The answer to creating a channel: the signing secret of an `api` channel appears here once. */
export const CreatedChannel = Type.Intersect([
  ChannelSummary,
  Type.Object({ secret: Type.Optional(Type.String()), createdAt: Type.String() }),
]);
export type CreatedChannel = Static<typeof CreatedChannel>;
