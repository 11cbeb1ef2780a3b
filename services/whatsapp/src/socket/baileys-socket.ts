import {
  Browsers,
  downloadMediaMessage,
  makeCacheableSignalKeyStore,
  makeWASocket,
  type AuthenticationState,
  type WAMessage,
} from '@whiskeysockets/baileys';
import type { Logger } from '@sapa/service-kit';
import type { ConnectSocket, WhatsappSocket } from './whatsapp-socket.js';

export interface BaileysOptions {
  /** Longest wait for WhatsApp to answer a query (send, pairing code); Baileys' default is 60 s. */
  queryTimeoutMs?: number;
  /** Finds the content of a message Sapa sent, when the recipient's phone asks for it again (decryption retry). */
  getMessage?: (id: string) => Promise<{ conversation: string } | undefined>;
}

/**
 * The production socket: Baileys' makeWASocket on Sapa's auth state. Keys get Baileys' in-memory cache in front of
 * Postgres (a send reads many sessions). No history sync: a number moved onto Sapa starts with new messages, and
 * old chats are not re-opened as cases. Not exercised by tests (WhatsApp's servers are unreachable here).
 */
export function baileysConnector(options: BaileysOptions = {}): ConnectSocket {
  return (auth: AuthenticationState, logger: Logger): WhatsappSocket => {
    const baileysLogger = logger.child({ lib: 'baileys' }, { level: logger.level === 'debug' || logger.level === 'trace' ? logger.level : 'warn' });
    const sock = makeWASocket({
      auth: { creds: auth.creds, keys: makeCacheableSignalKeyStore(auth.keys, baileysLogger) },
      logger: baileysLogger,
      browser: Browsers.ubuntu('Sapa'),
      markOnlineOnConnect: false,
      syncFullHistory: false,
      shouldSyncHistoryMessage: () => false,
      defaultQueryTimeoutMs: options.queryTimeoutMs ?? 60_000,
      getMessage: async (key) => (key.id && options.getMessage ? options.getMessage(key.id) : undefined),
    });
    return {
      on: (event, listener) => sock.ev.on(event, listener),
      sendMessage: (jid, content, sendOptions) => sock.sendMessage(jid, content, sendOptions?.messageId ? { messageId: sendOptions.messageId } : {}),
      requestPairingCode: (phoneNumber) => sock.requestPairingCode(phoneNumber),
      downloadMedia: (message: WAMessage) =>
        downloadMediaMessage(message, 'buffer', {}, { logger: baileysLogger, reuploadRequest: sock.updateMediaMessage }),
      logout: () => sock.logout(),
      end: () => sock.end(undefined),
    };
  };
}
