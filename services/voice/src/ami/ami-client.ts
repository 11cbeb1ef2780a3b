import { createConnection, type Socket } from 'node:net';
import type { Logger } from '@sapa/service-kit';
import { AmiFrameReader, formatAction, type AmiFrame } from './ami-frame-reader.js';
import { reconnectDelayMs, type Backoff } from './backoff.js';

export interface AmiClientOptions {
  host: string;
  port: number;
  username: string;
  secret: string;
  logger: Logger;
  /** Every event frame, in order (responses to Sapa's own actions are not events). */
  onEvent(frame: AmiFrame): void;
  /** A block that is not AMI: the caller keeps it (quarantine) and the connection goes on. */
  onMalformed(raw: string, reason: string): void;
  /** Where the connection stands, for the session's status and the tests. */
  onState?(state: AmiState, detail?: string): void;
  /** `Action: Ping` this often once logged in (default 20 s); a silent PBX is then noticed. */
  keepaliveMs?: number;
  /** No answer to a Ping (or to the Login) within this long drops the connection (default 10 s). */
  answerTimeoutMs?: number;
  backoff?: Partial<Backoff>;
  /** Ask for the event stream at login (default true); a connection that only sends actions (Originate) says false. */
  events?: boolean;
}

export type AmiState = 'connecting' | 'logged_in' | 'login_refused' | 'disconnected' | 'stopped';

export interface AmiClient {
  /** Connects and keeps connecting until stopped. */
  start(): void;
  /** Closes the connection with `Action: Logoff` and stops reconnecting. */
  stop(): Promise<void>;
  /**
   * Sends an action (`{Action: 'Originate', …}`) with an ActionID of its own once logged in, and answers its Response
   * frame, `Success` or `Error` alike; rejects when not logged in, or when the connection drops before the answer.
   */
  action(fields: Record<string, string>): Promise<AmiFrame>;
}

/** Sapa's own action waiting for its Response: the client's (login, ping, logoff) or a caller's (`action`). */
type Pending = { kind: 'login' | 'ping' | 'logoff' } | { kind: 'action'; resolve(frame: AmiFrame): void; reject(err: Error): void };

/**
 * A client of Asterisk's Manager Interface: connects over TCP, logs in with `Action: Login` (an ActionID of its own),
 * reads the event stream, keeps the connection alive with `Action: Ping`, and reconnects with exponential backoff
 * after a drop, a refused login or a Ping left unanswered. Malformed blocks are handed to `onMalformed` and reading
 * goes on: one bad frame never stops the stream. Other actions (Originate for click-to-call) go out with `action`.
 */
export function createAmiClient(options: AmiClientOptions): AmiClient {
  const keepaliveMs = options.keepaliveMs ?? 20_000;
  const answerTimeoutMs = options.answerTimeoutMs ?? 10_000;
  let socket: Socket | undefined;
  let stopped = true;
  let attempts = 0;
  let actionSeq = 0;
  let loggedIn = false;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let pingTimer: NodeJS.Timeout | undefined;
  let answerTimer: NodeJS.Timeout | undefined;
  /** ActionIDs of Sapa's own actions still waiting for their Response. */
  const pending = new Map<string, Pending>();

  const state = (s: AmiState, detail?: string) => options.onState?.(s, detail);
  const nextActionId = (kind: string) => `sapa-${kind}-${++actionSeq}`;

  function clearTimers(): void {
    clearInterval(pingTimer);
    clearTimeout(answerTimer);
    pingTimer = answerTimer = undefined;
  }

  function send(p: Pending, fields: Record<string, string>): void {
    const id = nextActionId(p.kind === 'action' ? (fields.Action ?? 'action').toLowerCase() : p.kind);
    const frame = formatAction({ ...fields, ActionID: id });
    pending.set(id, p);
    socket?.write(frame);
    if (p.kind !== 'logoff' && !answerTimer) {
      // The oldest unanswered action sets the deadline (a later Ping must not push it back): a silent PBX misses it.
      answerTimer = setTimeout(() => {
        options.logger.warn({ host: options.host, action: p.kind }, 'AMI did not answer; reconnecting');
        socket?.destroy();
      }, answerTimeoutMs);
    }
  }

  function onResponse(frame: AmiFrame): void {
    const p = frame.ActionID ? pending.get(frame.ActionID) : undefined;
    if (!p) return;
    pending.delete(frame.ActionID!);
    clearTimeout(answerTimer);
    answerTimer = undefined;
    const kind = p.kind;
    if (p.kind === 'action') p.resolve(frame);
    if (kind === 'login') {
      if (frame.Response !== 'Success') {
        options.logger.error({ host: options.host, reason: frame.Message }, 'AMI login refused; check the channel user and secret');
        state('login_refused', frame.Message);
        socket?.destroy();
        return;
      }
      attempts = 0;
      loggedIn = true;
      state('logged_in');
      options.logger.info({ host: options.host }, 'AMI logged in');
      pingTimer = setInterval(() => send({ kind: 'ping' }, { Action: 'Ping' }), keepaliveMs);
    }
  }

  function connect(): void {
    if (stopped) return;
    state('connecting');
    const reader = new AmiFrameReader();
    const s = createConnection({ host: options.host, port: options.port });
    socket = s;
    s.setNoDelay(true);
    s.on('data', (chunk) => {
      for (const read of reader.push(chunk)) {
        if (read.kind === 'greeting') {
          if (!/^Asterisk Call Manager\//.test(read.line)) options.logger.warn({ host: options.host }, 'unexpected AMI greeting');
          send({ kind: 'login' }, { Action: 'Login', Username: options.username, Secret: options.secret, Events: options.events === false ? 'off' : 'on' });
        } else if (read.kind === 'malformed') {
          options.onMalformed(read.raw, read.reason);
        } else if (read.frame.Response !== undefined && read.frame.Event === undefined) {
          onResponse(read.frame);
        } else {
          options.onEvent(read.frame);
        }
      }
    });
    s.on('error', (err) => options.logger.warn({ host: options.host, err: err.message }, 'AMI connection error'));
    s.on('close', () => {
      clearTimers();
      loggedIn = false;
      for (const p of pending.values()) if (p.kind === 'action') p.reject(new Error('the AMI connection closed before the PBX answered'));
      pending.clear();
      if (socket === s) socket = undefined;
      if (stopped) return;
      state('disconnected');
      const delay = reconnectDelayMs(attempts++, options.backoff);
      options.logger.info({ host: options.host, delayMs: delay }, 'AMI disconnected; reconnecting');
      reconnectTimer = setTimeout(connect, delay);
    });
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      connect();
    },
    async stop() {
      stopped = true;
      clearTimeout(reconnectTimer);
      clearTimers();
      const s = socket;
      if (!s) return state('stopped');
      await new Promise<void>((resolve) => {
        s.once('close', () => resolve());
        if (s.writable) send({ kind: 'logoff' }, { Action: 'Logoff' });
        s.end();
        // A peer that never closes its side is not waited for.
        setTimeout(() => s.destroy(), 1000).unref();
      });
      state('stopped');
    },
    action(fields) {
      if (!loggedIn || !socket) return Promise.reject(new Error('not logged in to AMI'));
      return new Promise<AmiFrame>((resolve, reject) => {
        try {
          send({ kind: 'action', resolve, reject }, fields);
        } catch (err) {
          reject(err as Error);
        }
      });
    },
  };
}
