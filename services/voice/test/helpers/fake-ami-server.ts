import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { AmiFrameReader, formatAction, type AmiFrame } from '../../src/index.js';

export interface FakeAmiOptions {
  username: string;
  secret: string;
  /** What each successive logged-in connection is sent after the login (the last one repeats); a fixture body. */
  sessions: string[];
  /** Connections whose login is refused whatever the credentials, counted from the first (default 0). */
  refuseFirstLogins?: number;
  /** Close the connection right after sending its session (a dropped link). */
  dropAfterSession?: boolean;
  /** Answer `Action: Ping` (default true); false plays a PBX that went silent. */
  answerPings?: boolean;
  greeting?: string;
  /** How `Action: Originate` is answered (default `success`: "Originate successfully queued"). */
  originate?: 'success' | 'error';
}

/** A local TCP server that speaks AMI like Asterisk 18: greeting, Login with ActionID, the recorded event stream, Ping. */
export interface FakeAmi {
  port: number;
  logins: Array<{ username: string; accepted: boolean }>;
  actions: AmiFrame[];
  connections: number;
  /** Writes raw bytes to every open connection. */
  send(raw: string): void;
  /** Drops every open connection (the PBX restarted). */
  dropAll(): void;
  close(): Promise<void>;
}

export async function startFakeAmi(options: FakeAmiOptions): Promise<FakeAmi> {
  const sockets = new Set<Socket>();
  const fake: FakeAmi = {
    port: 0,
    logins: [],
    actions: [],
    connections: 0,
    send: (raw) => sockets.forEach((s) => s.write(raw)),
    dropAll: () => sockets.forEach((s) => s.destroy()),
    close: () => new Promise<void>((resolve) => {
      sockets.forEach((s) => s.destroy());
      server.close(() => resolve());
    }),
  };
  let loggedIn = 0;
  const server: Server = createServer((socket) => {
    fake.connections += 1;
    const connection = fake.connections;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const reader = new AmiFrameReader();
    reader.push('client\r\n');
    socket.write(options.greeting ?? 'Asterisk Call Manager/7.0.3\r\n');
    socket.on('data', (chunk) => {
      for (const read of reader.push(chunk)) {
        if (read.kind !== 'frame') continue;
        const action = read.frame;
        fake.actions.push(action);
        const id = action.ActionID ?? '';
        if (action.Action === 'Login') {
          const accepted = connection > (options.refuseFirstLogins ?? 0) && action.Username === options.username && action.Secret === options.secret;
          fake.logins.push({ username: action.Username ?? '', accepted });
          if (!accepted) {
            socket.write(formatAction({ Response: 'Error', ActionID: id, Message: 'Authentication failed' }));
            socket.end();
            continue;
          }
          socket.write(formatAction({ Response: 'Success', ActionID: id, Message: 'Authentication accepted' }));
          const body = options.sessions[Math.min(loggedIn, options.sessions.length - 1)] ?? '';
          loggedIn += 1;
          socket.write(body);
          if (options.dropAfterSession) setTimeout(() => socket.destroy(), 20);
        } else if (action.Action === 'Ping') {
          if (options.answerPings !== false) socket.write(formatAction({ Response: 'Success', ActionID: id, Ping: 'Pong', Timestamp: '1772420400.000000' }));
        } else if (action.Action === 'Originate') {
          if (options.originate === 'error') socket.write(formatAction({ Response: 'Error', ActionID: id, Message: 'Originate failed' }));
          else socket.write(formatAction({ Response: 'Success', ActionID: id, Message: 'Originate successfully queued' }));
        } else if (action.Action === 'Logoff') {
          socket.write(formatAction({ Response: 'Goodbye', ActionID: id, Message: 'Thanks for all the fish.' }));
          socket.end();
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.port = (server.address() as AddressInfo).port;
  return fake;
}
