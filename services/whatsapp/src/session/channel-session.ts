import type { AnyMessageContent, BaileysEventMap, WAMessage } from '@whiskeysockets/baileys';
import { applyReceipts, type ChannelReceipt, type ReceiptDeps } from '@sapa/gateway';
import type { Channel } from '@sapa/db';
import { resetWhatsappSession } from '@sapa/db/queries/whatsapp-sessions';
import type { Lease, LeaseStore } from '@sapa/queue';
import { withTimeout, type Logger } from '@sapa/service-kit';
import { FencedOut } from '../auth/fenced-out.js';
import { loadPostgresAuthState, type AuthStateDeps, type PostgresAuthState, type SessionRef } from '../auth/postgres-auth-state.js';
import { acceptUpsert, type InboundDeps } from '../inbound/accept-messages.js';
import { receiptsFromUpdates, receiptsFromUserReceipts } from '../inbound/receipts.js';
import type { ConnectSocket, WhatsappSocket } from '../socket/whatsapp-socket.js';
import { closeAction, disconnectCode, reconnectDelayMs } from './close-decision.js';
import { changeStatus, publishPairing, type Pairing, type StatusDeps } from './pairing-state.js';

export interface SessionDeps {
  auth: AuthStateDeps;
  status: StatusDeps;
  inbound: InboundDeps;
  receipts: ReceiptDeps;
  leases: LeaseStore;
  connect: ConnectSocket;
  logger: Logger;
  /** Reconnect delay for attempt n (default close-decision's reconnectDelayMs); tests shorten it. */
  reconnectDelayMs?: (attempt: number) => number;
}

/** Longest wait for WhatsApp to take a logout before the number is forgotten anyway. */
const LOGOUT_TIMEOUT_MS = 10_000;

export interface SessionChannel {
  id: string;
  tenantId: string;
  /** Digits only, country code first: asks WhatsApp for a pairing code besides the QR. */
  phoneNumber?: string;
}

/** Why a session ended: the lease is released for all but `lease_lost` and `fenced_out` (someone else's now). */
export type StopReason = 'logged_out' | 'banned' | 'removed' | 'unlinked' | 'handed_over' | 'shutdown' | 'lease_lost' | 'fenced_out';

/**
 * One WhatsApp number held by this replica: its Baileys socket, kept connected (reconnecting with backoff) for as long
 * as the lease is this replica's. Events are handled one at a time, in the order Baileys emits them, so a customer's
 * messages reach the queue in order and credentials are never saved out of order.
 */
export class ChannelSession {
  private socket: WhatsappSocket | undefined;
  private auth: PostgresAuthState | undefined;
  private connected = false;
  private stopped = false;
  private attempts = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private pairing: Pairing = {};
  private pairingCodeAsked = false;
  private queue: Promise<void> = Promise.resolve();
  private readonly ref: SessionRef;
  private readonly log: Logger;

  constructor(
    private readonly deps: SessionDeps,
    readonly channel: SessionChannel,
    readonly lease: Lease,
    private readonly onStopped: (session: ChannelSession, reason: StopReason) => void,
  ) {
    this.ref = { tenantId: channel.tenantId, channelId: channel.id, fence: lease.token };
    this.log = deps.logger.child({ tenantId: channel.tenantId, channelId: channel.id, fence: lease.token });
  }

  get isConnected(): boolean {
    return this.connected && !this.stopped;
  }

  async start(): Promise<void> {
    this.auth = await loadPostgresAuthState(this.deps.auth, this.ref);
    this.open();
  }

  /**
   * Sends one message on the number, only while this replica still holds it: the lease is checked in Redis right
   * before the send (the fence on the auth state protects writes; this protects the wire).
   */
  async send(jid: string, content: AnyMessageContent, messageId: string): Promise<WAMessage | undefined> {
    if (!this.socket || !this.isConnected) throw new Error('the WhatsApp connection of this number is not open');
    if (!(await this.deps.leases.holds(this.lease))) {
      this.stop('lease_lost');
      throw new FencedOut(this.channel.id, this.lease.token);
    }
    return this.socket.sendMessage(jid, content, { messageId });
  }

  /** Ends the socket (the link stays) and says why; idempotent. */
  stop(reason: StopReason): void {
    if (this.stopped) return;
    this.stopped = true;
    this.connected = false;
    clearTimeout(this.reconnectTimer);
    this.endSocket();
    this.log.info({ reason }, 'WhatsApp session stopped');
    this.onStopped(this, reason);
  }

  /**
   * Unlinks the number on an admin's word (`DELETE /v1/channels/{id}/pairing`): logs the device out on WhatsApp, so
   * the phone's Linked devices no longer lists it, and forgets the auth state. Events stop being handled first and the
   * ones in hand finish, so no credentials are saved after the wipe. Idempotent, like `stop`.
   */
  async unlink(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    await this.queue;
    // Logging out needs an open connection; a number between reconnects is only forgotten here, and WhatsApp drops
    // the device from the phone after it stays away long enough.
    if (this.socket && this.connected) {
      try {
        await withTimeout(this.socket.logout(), LOGOUT_TIMEOUT_MS);
      } catch (err) {
        this.log.warn({ err }, 'WhatsApp did not confirm the logout; the phone may still list the device');
      }
    }
    this.connected = false;
    this.endSocket();
    // Fenced: a newer holder's state is not this replica's to wipe (the route wiped it already anyway).
    await resetWhatsappSession(this.deps.auth.db, this.ref.tenantId, this.ref.channelId, this.ref.fence);
    this.log.info({ reason: 'unlinked' }, 'WhatsApp session stopped');
    this.onStopped(this, 'unlinked');
  }

  /** Waits for the events already received to be handled (shutdown, tests). */
  async settled(): Promise<void> {
    await this.queue;
  }

  private open(): void {
    if (this.stopped || !this.auth) return;
    const socket = this.deps.connect(this.auth.state, this.log);
    this.socket = socket;
    this.pairingCodeAsked = false;
    const handle = <E extends keyof BaileysEventMap>(event: E, fn: (data: BaileysEventMap[E]) => Promise<void>) => (data: BaileysEventMap[E]) => {
      if (socket !== this.socket) return; // a replaced socket's late events
      this.enqueue(() => fn(data));
    };
    socket.on('connection.update', handle('connection.update', (u) => this.onConnection(u)));
    socket.on('creds.update', handle('creds.update', (u) => this.onCreds(u)));
    socket.on('messages.upsert', handle('messages.upsert', (u) => acceptUpsert(this.deps.inbound, { tenantId: this.channel.tenantId, channelId: this.channel.id }, socket, u)));
    socket.on('messages.update', handle('messages.update', (u) => this.onReceipts(receiptsFromUpdates(u))));
    socket.on('message-receipt.update', handle('message-receipt.update', (u) => this.onReceipts(receiptsFromUserReceipts(u))));
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(async () => {
      if (this.stopped) return;
      try {
        await task();
      } catch (err) {
        if (err instanceof FencedOut) return this.stop('fenced_out');
        this.log.error({ err }, 'WhatsApp event handling failed');
      }
    });
  }

  private async onCreds(update: BaileysEventMap['creds.update']): Promise<void> {
    // Baileys assigns the update to its creds object itself; doing it again keeps this true for any socket.
    Object.assign(this.auth!.state.creds, update);
    await this.auth!.saveCreds();
  }

  private async onConnection(update: BaileysEventMap['connection.update']): Promise<void> {
    if (update.qr) {
      this.pairing = { ...this.pairing, qr: update.qr };
      await this.askPairingCode();
      await publishPairing(this.deps.status, this.ref, this.pairing);
    }
    if (update.connection === 'open') {
      this.connected = true;
      this.attempts = 0;
      this.pairing = {};
      await changeStatus(this.deps.status, this.ref, 'active');
    } else if (update.connection === 'close') {
      this.connected = false;
      await this.onClose(update.lastDisconnect?.error);
    }
  }

  /** With a phone number configured, WhatsApp also gives a code to type instead of scanning; asked once per socket. */
  private async askPairingCode(): Promise<void> {
    if (!this.channel.phoneNumber || this.pairingCodeAsked || this.auth!.state.creds.registered) return;
    this.pairingCodeAsked = true;
    try {
      this.pairing = { ...this.pairing, pairingCode: await this.socket!.requestPairingCode(this.channel.phoneNumber) };
    } catch (err) {
      this.log.warn({ err }, 'WhatsApp gave no pairing code; the QR still works');
    }
  }

  private async onClose(error: unknown): Promise<void> {
    const code = disconnectCode(error);
    const action = closeAction(code);
    this.log.info({ code, action }, 'WhatsApp connection closed');
    this.endSocket();
    switch (action) {
      case 'logged_out': {
        if (!(await resetWhatsappSession(this.deps.auth.db, this.ref.tenantId, this.ref.channelId, this.ref.fence))) throw new FencedOut(this.channel.id, this.lease.token);
        await changeStatus(this.deps.status, this.ref, 'disconnected', 'logged_out');
        return this.stop('logged_out');
      }
      case 'banned':
        await changeStatus(this.deps.status, this.ref, 'error', 'banned');
        return this.stop('banned');
      case 'restart_now':
        return this.open();
      case 'reconnect': {
        this.attempts += 1;
        const delay = (this.deps.reconnectDelayMs ?? reconnectDelayMs)(this.attempts);
        this.reconnectTimer = setTimeout(() => this.open(), delay);
        return;
      }
    }
  }

  private async onReceipts(receipts: ChannelReceipt[]): Promise<void> {
    if (receipts.length === 0) return;
    const row = { id: this.channel.id, tenant_id: this.channel.tenantId } as Channel;
    await applyReceipts(this.deps.receipts, { row, secrets: {} }, receipts);
  }

  private endSocket(): void {
    const socket = this.socket;
    this.socket = undefined;
    try {
      socket?.end();
    } catch (err) {
      this.log.debug({ err }, 'ending a WhatsApp socket failed');
    }
  }
}
