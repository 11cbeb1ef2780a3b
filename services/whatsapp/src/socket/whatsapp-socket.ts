import type { AnyMessageContent, AuthenticationState, BaileysEventMap, WAMessage } from '@whiskeysockets/baileys';
import type { Logger } from '@sapa/service-kit';

/** The Baileys events Sapa listens to, with the payloads Baileys emits (its own types). */
export type WhatsappEvents = Pick<
  BaileysEventMap,
  'connection.update' | 'creds.update' | 'messages.upsert' | 'messages.update' | 'message-receipt.update'
>;
export type WhatsappEventName = keyof WhatsappEvents;

/**
 * The small part of a Baileys socket that Sapa uses. Everything above it (sessions, inbound, receipts, sends) is
 * written against this interface, so tests drive it with recorded Baileys payloads through a fake; production wraps
 * `makeWASocket` (baileys-socket.ts).
 */
export interface WhatsappSocket {
  on<E extends WhatsappEventName>(event: E, listener: (data: WhatsappEvents[E]) => void): void;
  /** Sends one message; resolves with the message as sent (its `key.id` is what receipts name later). */
  sendMessage(jid: string, content: AnyMessageContent, options?: { messageId?: string }): Promise<WAMessage | undefined>;
  /** Asks WhatsApp for an 8-character code to type on the phone (Linked devices → Link with phone number). */
  requestPairingCode(phoneNumber: string): Promise<string>;
  /** The decrypted bytes of an inbound media message (Baileys' downloadMediaMessage). */
  downloadMedia(message: WAMessage): Promise<Buffer>;
  /** Unlinks the device from the phone: only when the channel is deleted, never on a lease handover. */
  logout(): Promise<void>;
  /** Closes the connection and keeps the link: another replica may open it next. */
  end(): void;
}

/** Opens (connects) a socket on an auth state: makeWASocket in production, a fake in tests. */
export type ConnectSocket = (auth: AuthenticationState, logger: Logger) => WhatsappSocket;
