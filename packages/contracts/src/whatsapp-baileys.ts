import { Type, type Static } from '@sinclair/typebox';
import { ChannelStatus } from './channels.js';

/**
 * Config of a `whatsapp_baileys` channel (api-contract.md §Channel types): the business's own number, linked to Sapa
 * as a companion device. Without `phoneNumber` the admin scans a QR code; with it (international format, country code
 * first, e.g. `+6281234567890`) WhatsApp also offers an 8-character pairing code to type on the phone instead.
 */
export const WhatsappBaileysChannelConfig = Type.Object(
  { phoneNumber: Type.Optional(Type.String({ pattern: '^\\+?[1-9][0-9]{7,14}$' })) },
  { additionalProperties: false },
);
export type WhatsappBaileysChannelConfig = Static<typeof WhatsappBaileysChannelConfig>;

/**
 * `GET /v1/channels/{id}/pairing`: the channel's status and, while it is `pairing`, what links the phone: `qr` (a PNG
 * data URL, renewed about every 20 s) and, when the channel has a phone number, `pairingCode`. The same shape is the
 * `data` of the `channel.pairing` live event, with `channelId`.
 */
export const ChannelPairing = Type.Object({
  status: ChannelStatus,
  qr: Type.Optional(Type.String()),
  pairingCode: Type.Optional(Type.String()),
});
export type ChannelPairing = Static<typeof ChannelPairing>;
