import type { WebSocket } from 'ws';
import type { DomainEvent } from '@sapa/contracts';
import type { Logger } from '@sapa/service-kit';
import type { Principal } from '../auth/principal.js';
import { canSee } from './event-audience.js';

/** The live sockets of this process and who is behind each; every event goes only to those allowed to see it. */
export interface SocketHub {
  add(socket: WebSocket, principal: Principal): void;
  dispatch(event: DomainEvent): void;
  /** Closes every socket (1001, going away) and stops the keepalive. */
  close(): void;
  size(): number;
}

export interface SocketHubSettings {
  logger: Logger;
  pingIntervalMs: number;
  /** Re-checks a socket's token at each ping, so a revoked token does not keep listening. */
  stillValid: (principal: Principal) => Promise<boolean>;
  /** Told +1 / -1 as sockets open and close (the connections gauge). */
  onCount?: (delta: 1 | -1) => void;
  /** Told of each sign of life of a socket: it opened, answered a ping, or sent something (presence idle tracking). */
  onActivity?: (socket: WebSocket, principal: Principal) => void;
}

interface Client {
  principal: Principal;
  alive: boolean;
}

// A browser that stops reading must not make the server buffer without end.
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_TOKEN_INVALID = 4401;

export function createSocketHub(settings: SocketHubSettings): SocketHub {
  const clients = new Map<WebSocket, Client>();

  const keepalive = setInterval(() => {
    for (const [socket, client] of clients) {
      // No pong since the last ping: the peer is gone without a close frame.
      if (!client.alive) {
        socket.terminate();
        continue;
      }
      client.alive = false;
      socket.ping();
      settings.stillValid(client.principal).then(
        (valid) => {
          if (!valid) socket.close(CLOSE_TOKEN_INVALID, 'token no longer valid');
        },
        (err: unknown) => settings.logger.warn({ err, userId: client.principal.userId }, 'could not re-check a socket token'),
      );
    }
  }, settings.pingIntervalMs);
  keepalive.unref();

  return {
    add(socket, principal) {
      const client: Client = { principal, alive: true };
      clients.set(socket, client);
      settings.onCount?.(1);
      settings.onActivity?.(socket, principal);
      socket.on('pong', () => {
        client.alive = true;
        settings.onActivity?.(socket, principal);
      });
      socket.on('close', () => {
        if (clients.delete(socket)) settings.onCount?.(-1);
      });
      socket.on('error', (err) => settings.logger.info({ err, userId: principal.userId }, 'socket error'));
      // The stream is one-way: what a client sends is only a sign of life.
      socket.on('message', () => settings.onActivity?.(socket, principal));
    },
    dispatch(event) {
      let frame: string | undefined;
      for (const [socket, client] of clients) {
        if (socket.readyState !== socket.OPEN || !canSee(client.principal, event)) continue;
        if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
          settings.logger.warn({ userId: client.principal.userId }, 'socket too slow; closing it');
          socket.terminate();
          continue;
        }
        frame ??= JSON.stringify({ type: event.type, data: event.data });
        socket.send(frame);
      }
    },
    close() {
      clearInterval(keepalive);
      for (const socket of clients.keys()) {
        socket.close(CLOSE_GOING_AWAY, 'server shutting down');
        settings.onCount?.(-1);
      }
      clients.clear();
    },
    size: () => clients.size,
  };
}
