import { DisconnectReason } from '@whiskeysockets/baileys';

/** What a session does when Baileys reports `connection: 'close'`. */
export type CloseAction =
  /** The phone removed this linked device (or the link became invalid): forget the auth state, status `disconnected`. */
  | 'logged_out'
  /** WhatsApp refused the number (403, a ban or a restriction): status `error`, nothing more until an admin acts. */
  | 'banned'
  /** Baileys asks for a new socket at once (515 right after pairing). */
  | 'restart_now'
  /** Anything else (network, timeouts, WhatsApp restarting, another client replacing us): try again with backoff. */
  | 'reconnect';

/** The HTTP-like status code Baileys puts on the Boom error of `lastDisconnect` (undefined for a plain Error). */
export function disconnectCode(error: unknown): number | undefined {
  const code = (error as { output?: { statusCode?: unknown } } | undefined)?.output?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

export function closeAction(code: number | undefined): CloseAction {
  switch (code) {
    case DisconnectReason.loggedOut:
    // 500 badSession: the stored keys no longer match what WhatsApp knows; only a new pairing recovers.
    case DisconnectReason.badSession:
      return 'logged_out';
    case DisconnectReason.forbidden:
      return 'banned';
    case DisconnectReason.restartRequired:
      return 'restart_now';
    default:
      return 'reconnect';
  }
}

/**
 * Delay before reconnect attempt `attempt` (1-based): 1 s doubling to 60 s, with ±20 % jitter so numbers dropped
 * together (a WhatsApp outage) do not all come back in the same second. `random` is injectable for tests.
 */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(60_000, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}
