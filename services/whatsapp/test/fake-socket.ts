import { readFileSync } from 'node:fs';
import { BufferJSON, type AnyMessageContent, type AuthenticationState, type WAMessage } from '@whiskeysockets/baileys';
import type { ConnectSocket, WhatsappEventName, WhatsappEvents, WhatsappSocket } from '../src/index.js';

/** A recorded Baileys payload from test/fixtures, with Buffers revived as Baileys' BufferJSON writes them. */
export function fixture<T>(name: string, replace: Record<string, string> = {}): T {
  let text = readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8');
  for (const [from, to] of Object.entries(replace)) text = text.split(from).join(to);
  return JSON.parse(text, BufferJSON.reviver) as T;
}

/**
 * Stands in for a Baileys socket: the test emits the events Baileys would (recorded payloads), and reads what the
 * service sent. Media "downloads" answer from `media`, keyed by message id.
 */
export class FakeSocket implements WhatsappSocket {
  readonly sent: { jid: string; content: AnyMessageContent; messageId?: string }[] = [];
  readonly pairingCodesAsked: string[] = [];
  ended = false;
  /** How many times the service logged this device out. */
  logouts = 0;
  private readonly listeners = new Map<string, ((data: never) => void)[]>();

  constructor(
    readonly auth: AuthenticationState,
    private readonly media: Map<string, Buffer>,
  ) {}

  on<E extends WhatsappEventName>(event: E, listener: (data: WhatsappEvents[E]) => void): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener as (data: never) => void]);
  }

  emit<E extends WhatsappEventName>(event: E, data: WhatsappEvents[E]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(data as never);
  }

  async sendMessage(jid: string, content: AnyMessageContent, options?: { messageId?: string }): Promise<WAMessage> {
    this.sent.push({ jid, content, ...(options?.messageId && { messageId: options.messageId }) });
    return { key: { remoteJid: jid, fromMe: true, id: options?.messageId ?? 'RANDOM' } };
  }

  async requestPairingCode(phoneNumber: string): Promise<string> {
    this.pairingCodesAsked.push(phoneNumber);
    return 'SAPA2WA7';
  }

  async downloadMedia(message: WAMessage): Promise<Buffer> {
    const body = this.media.get(message.key.id ?? '');
    if (!body) throw new Error('media expired on WhatsApp');
    return body;
  }

  /** As Baileys does: tells WhatsApp, then closes with 401 loggedOut (the session must not take it for the phone's logout). */
  async logout(): Promise<void> {
    this.logouts += 1;
    this.emit('connection.update', fixture('connection-close-logged-out'));
    this.ended = true;
  }

  end(): void {
    this.ended = true;
  }
}

/** A connector handing out FakeSockets, remembering each one it opened. */
export function fakeConnector(media = new Map<string, Buffer>()): { connect: ConnectSocket; sockets: FakeSocket[] } {
  const sockets: FakeSocket[] = [];
  return {
    sockets,
    connect: (auth) => {
      const socket = new FakeSocket(auth, media);
      sockets.push(socket);
      return socket;
    },
  };
}
