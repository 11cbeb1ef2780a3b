import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { DomainEvent } from '@sapa/contracts';
import type { Logger } from '@sapa/service-kit';
import type { LivechatBus, VisitorPush } from './livechat-bus.js';
import type { VisitorPresence } from './visitor-presence.js';

/** One visitor socket on this replica. */
export interface VisitorSocket {
  id: string;
  socket: WebSocket;
  channelId: string;
  visitorId: string | null;
  alive: boolean;
}

export interface LivechatHubSettings {
  logger: Logger;
  bus: LivechatBus;
  presence: VisitorPresence;
  pingIntervalMs: number;
  /** How long after a visitor's last socket closed they count as gone (a page reload reconnects within it). */
  leaveGraceMs: number;
  /** The visitor behind a live chat conversation, for agents' typing and closings (cached by the caller). */
  visitorOfConversation: (tenantId: string, conversationId: string) => Promise<string | undefined>;
  /** Told when a visitor's last socket anywhere closed and stayed closed for the grace; `at` is when it closed. */
  onVisitorGone: (socket: VisitorSocket & { visitorId: string }, at: Date) => Promise<void>;
}

// A browser that stops reading must not make the server buffer without end.
const MAX_BUFFERED_BYTES = 1024 * 1024;
export const CLOSE_GOING_AWAY = 1001;

/**
 * The visitor sockets of this process. Frames for a visitor reach every one of their sockets here, whichever replica
 * published them (LivechatBus); domain events tell it about agents typing and conversations closing. It pings each
 * socket, keeps the visitors' presence fresh in Redis, and when a visitor's last socket anywhere has closed for
 * `leaveGraceMs`, reports them gone (customer-handling.md §Inactivity nudges, the live chat's leave rule).
 */
export class LivechatHub {
  private readonly sockets = new Map<WebSocket, VisitorSocket>();
  private readonly byVisitor = new Map<string, Set<VisitorSocket>>();
  private readonly socketsOfChannel = new Map<string, number>();
  private readonly goneTimers = new Map<string, NodeJS.Timeout>();
  private readonly keepalive: NodeJS.Timeout;
  private unsubscribe: Array<() => Promise<void>> = [];
  private closing = false;

  constructor(private readonly settings: LivechatHubSettings) {
    this.keepalive = setInterval(() => this.tick(), settings.pingIntervalMs);
    this.keepalive.unref();
  }

  /** Starts listening to Redis: pushes for visitors, and the domain events that concern them. */
  async start(eventBus: { subscribe(handler: (event: DomainEvent) => void): Promise<() => Promise<void>> }): Promise<void> {
    this.unsubscribe.push(await this.settings.bus.subscribe((push) => this.deliver(push)));
    this.unsubscribe.push(await eventBus.subscribe((event) => void this.onDomainEvent(event)));
  }

  add(socket: WebSocket, channelId: string): VisitorSocket {
    const entry: VisitorSocket = { id: randomUUID(), socket, channelId, visitorId: null, alive: true };
    this.sockets.set(socket, entry);
    this.socketsOfChannel.set(channelId, (this.socketsOfChannel.get(channelId) ?? 0) + 1);
    socket.on('pong', () => (entry.alive = true));
    return entry;
  }

  /** The socket now speaks for `visitorId` (after start or resume). */
  async identify(entry: VisitorSocket, visitorId: string): Promise<void> {
    entry.visitorId = visitorId;
    let set = this.byVisitor.get(visitorId);
    if (!set) this.byVisitor.set(visitorId, (set = new Set()));
    set.add(entry);
    clearTimeout(this.goneTimers.get(visitorId));
    this.goneTimers.delete(visitorId);
    await this.settings.presence.join(visitorId, entry.id);
  }

  /** The socket closed: forget it, and when it was its visitor's last one anywhere, start the leave grace. */
  async remove(entry: VisitorSocket): Promise<void> {
    if (!this.sockets.delete(entry.socket)) return;
    const left = (this.socketsOfChannel.get(entry.channelId) ?? 1) - 1;
    if (left > 0) this.socketsOfChannel.set(entry.channelId, left);
    else this.socketsOfChannel.delete(entry.channelId);
    const visitorId = entry.visitorId;
    if (!visitorId) return;
    const set = this.byVisitor.get(visitorId);
    set?.delete(entry);
    if (set?.size === 0) this.byVisitor.delete(visitorId);
    // A replica shutting down is not a visitor leaving: their widget reconnects to another replica.
    if (this.closing) return;
    const closedAt = new Date();
    const remaining = await this.settings.presence.leave(visitorId, entry.id);
    if (remaining > 0 || this.byVisitor.has(visitorId)) return;
    clearTimeout(this.goneTimers.get(visitorId));
    const timer = setTimeout(() => {
      this.goneTimers.delete(visitorId);
      void this.confirmGone({ ...entry, visitorId }, closedAt);
    }, this.settings.leaveGraceMs);
    timer.unref();
    this.goneTimers.set(visitorId, timer);
  }

  /** Sends a frame to every socket of the visitor on this replica, but `skipSocketId`. */
  sendToVisitor(visitorId: string, frame: VisitorPush['frame'], skipSocketId?: string): number {
    let sent = 0;
    for (const entry of this.byVisitor.get(visitorId) ?? []) {
      if (entry.id === skipSocketId) continue;
      if (send(entry.socket, frame)) sent += 1;
    }
    return sent;
  }

  size(): number {
    return this.sockets.size;
  }

  /** Closes every socket (1001: the widget reconnects, to another replica) and stops listening. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.keepalive);
    for (const timer of this.goneTimers.values()) clearTimeout(timer);
    this.goneTimers.clear();
    for (const socket of this.sockets.keys()) socket.close(CLOSE_GOING_AWAY, 'server shutting down');
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = [];
    await Promise.all(unsubscribe.map((u) => u().catch(() => undefined)));
  }

  private deliver(push: VisitorPush): void {
    if (typeof push.visitorId !== 'string' || typeof push.frame?.type !== 'string') return;
    this.sendToVisitor(push.visitorId, push.frame, push.skipSocketId);
  }

  private async onDomainEvent(event: DomainEvent): Promise<void> {
    const data = event.data as Record<string, unknown>;
    if (data.channelType !== 'livechat' || typeof data.channelId !== 'string' || !this.socketsOfChannel.has(data.channelId)) return;
    let frame: VisitorPush['frame'] | undefined;
    let conversationId: unknown;
    if (event.type === 'conversation.typing' && (data.actor as { type?: string } | undefined)?.type === 'agent') {
      conversationId = data.conversationId;
      frame = { type: 'typing', typing: data.typing === true, name: (data.actor as { name?: string | null }).name ?? null };
    } else if (event.type === 'conversation.updated' && data.status === 'closed') {
      conversationId = data.id;
      frame = { type: 'conversation', id: data.id, status: 'closed' };
    }
    if (!frame || typeof conversationId !== 'string') return;
    try {
      const visitorId = await this.settings.visitorOfConversation(event.tenantId, conversationId);
      if (visitorId) this.sendToVisitor(visitorId, frame);
    } catch (err) {
      this.settings.logger.warn({ err, tenantId: event.tenantId, conversationId }, 'could not find the visitor of a live chat event');
    }
  }

  private async confirmGone(entry: VisitorSocket & { visitorId: string }, closedAt: Date): Promise<void> {
    try {
      if (this.closing || this.byVisitor.has(entry.visitorId)) return;
      if ((await this.settings.presence.count(entry.visitorId)) > 0) return;
      await this.settings.onVisitorGone(entry, closedAt);
    } catch (err) {
      this.settings.logger.warn({ err, channelId: entry.channelId }, 'could not report a live chat visitor leaving');
    }
  }

  private tick(): void {
    const refresh: Array<{ visitorId: string; socketId: string }> = [];
    for (const [socket, entry] of this.sockets) {
      // No pong since the last ping: the peer is gone without a close frame.
      if (!entry.alive) {
        socket.terminate();
        continue;
      }
      entry.alive = false;
      socket.ping();
      if (entry.visitorId) refresh.push({ visitorId: entry.visitorId, socketId: entry.id });
    }
    this.settings.presence.refresh(refresh).catch((err: unknown) => this.settings.logger.warn({ err }, 'could not refresh live chat presence'));
  }
}

/** Sends one JSON frame unless the socket is closing or its reader has fallen too far behind (then it is dropped). */
export function send(socket: WebSocket, frame: Record<string, unknown>): boolean {
  if (socket.readyState !== socket.OPEN) return false;
  if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
    socket.terminate();
    return false;
  }
  socket.send(JSON.stringify(frame));
  return true;
}
