import type { CallEvent, MissedReason } from '@sapa/contracts';
import type { AmiFrame } from './ami-frame-reader.js';

/** A call event as read off AMI, before the session names its tenant and channel. */
export type TrackedCallEvent = Omit<CallEvent, 'tenantId' | 'channelId' | 'source'>;

export type TrackResult = { events: TrackedCallEvent[] } | { problem: string };

interface TrackedCall {
  callId: string;
  caller: string;
  callerName?: string;
  calledNumber?: string;
  answeredExtension?: string;
  recordingUrl?: string;
  final: boolean;
  emitted: Set<string>;
  lastSeenMs: number;
}

export interface CallTrackerOptions {
  /** Where the PBX serves recordings over HTTP: a recording's link is this plus the MixMonitor file's name. */
  recordingBaseUrl?: string;
  /** Calls not heard of for this long are forgotten (a Hangup lost in a reconnect must not keep them forever). */
  forgetAfterMs?: number;
  now?: () => number;
}

/** An agent's phone: `PJSIP/201-0000000a`, `SIP/201-…`, `Local/201@from-queue-…;1`, or a queue Interface `PJSIP/201`. */
const EXTENSION_CHANNEL = /^(?:PJSIP|SIP|IAX2|DAHDI|Local)\/([0-9]{2,8})(?:[-@;]|$)/i;
/** Events whose Linkedid names the call and that Sapa reads. */
const CALL_FIELDS = ['Linkedid', 'Uniqueid', 'Channel'] as const;
const SIX_HOURS_MS = 6 * 3600 * 1000;

/** The extension of an agent's channel or queue interface, if it is one. */
export function extensionOf(channel: string | undefined): string | undefined {
  return channel ? EXTENSION_CHANNEL.exec(channel)?.[1] : undefined;
}

/**
 * Turns Asterisk's event stream (Asterisk 18+: Newchannel, DialBegin/DialEnd, AgentCalled/AgentConnect,
 * QueueCallerAbandon, BridgeEnter, VarSet of MIXMONITOR_FILENAME, Hangup) into Sapa's call events, the same model the
 * webhook takes. A call is its `Linkedid`; it is a customer's call when its first channel (Uniqueid = Linkedid) is not
 * an agent's extension (calls placed from an extension are the agents' own and are not tracked).
 * - DialBegin / AgentCalled to an extension → `ringing` at it;
 * - DialEnd ANSWER / AgentConnect / an extension entering the call's bridge → `answered` at it (another extension
 *   later: a transfer);
 * - QueueCallerAbandon → `missed` (abandoned); the first channel's Hangup → `ended` if answered, else `missed`
 *   (busy for cause 17, no answer otherwise), with the recording named by MIXMONITOR_FILENAME.
 * Each event of a call is given once per extension. Pure apart from the clock it is handed.
 */
export class CallTracker {
  private readonly calls = new Map<string, TrackedCall>();
  private readonly now: () => number;

  constructor(private readonly options: CallTrackerOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  /** How many calls are followed now. */
  get size(): number {
    return this.calls.size;
  }

  /** Reads one event frame; responses and events Sapa does not follow give nothing. */
  track(frame: AmiFrame): TrackResult {
    const name = frame.Event;
    if (name === undefined || !HANDLED.has(name)) return { events: [] };
    const missing = CALL_FIELDS.filter((f) => frame[f] === undefined || frame[f] === '');
    if (missing.length > 0) return { problem: `${name} without ${missing.join(', ')}` };
    this.forgetStale();
    const at = atOf(frame, this.now());

    if (name === 'Newchannel') {
      if (frame.Uniqueid !== frame.Linkedid || extensionOf(frame.Channel) || this.calls.has(frame.Linkedid!)) return { events: [] };
      this.calls.set(frame.Linkedid!, {
        callId: frame.Linkedid!,
        caller: callerOf(frame.CallerIDNum),
        ...(known(frame.CallerIDName) && { callerName: frame.CallerIDName }),
        ...(known(frame.Exten) && { calledNumber: frame.Exten }),
        final: false,
        emitted: new Set(),
        lastSeenMs: this.now(),
      });
      return { events: [] };
    }

    const call = this.calls.get(frame.Linkedid!);
    if (!call || call.final) return { events: [] };
    call.lastSeenMs = this.now();
    switch (name) {
      case 'DialBegin':
      case 'AgentCalled':
        return this.emit(call, 'ringing', at, extensionOf(frame.DestChannel) ?? extensionOf(frame.Interface));
      case 'DialEnd':
        if (frame.DialStatus !== 'ANSWER') return { events: [] };
        return this.answered(call, at, extensionOf(frame.DestChannel));
      case 'AgentConnect':
        return this.answered(call, at, extensionOf(frame.Interface) ?? extensionOf(frame.DestChannel));
      case 'BridgeEnter':
        return this.answered(call, at, extensionOf(frame.Channel));
      case 'VarSet':
        if (frame.Variable === 'MIXMONITOR_FILENAME' && known(frame.Value)) call.recordingUrl = this.recordingUrlOf(frame.Value!);
        return { events: [] };
      case 'QueueCallerAbandon':
        return this.finish(call, 'missed', at, 'abandoned');
      case 'Hangup':
        // Only the customer's own channel ending ends the call; an agent's leg hanging up may be a transfer.
        if (frame.Uniqueid !== frame.Linkedid) return { events: [] };
        return call.answeredExtension ? this.finish(call, 'ended', at) : this.finish(call, 'missed', at, frame.Cause === '17' ? 'busy' : 'no_answer');
      default:
        return { events: [] };
    }
  }

  private answered(call: TrackedCall, at: string, extension: string | undefined): TrackResult {
    if (!extension) return { events: [] };
    call.answeredExtension = extension;
    return this.emit(call, 'answered', at, extension);
  }

  private finish(call: TrackedCall, event: 'ended' | 'missed', at: string, reason?: MissedReason): TrackResult {
    call.final = true;
    this.calls.delete(call.callId);
    return this.emit(call, event, at, call.answeredExtension, reason);
  }

  private emit(call: TrackedCall, event: CallEvent['event'], at: string, extension: string | undefined, reason?: MissedReason): TrackResult {
    if ((event === 'ringing' || event === 'answered') && !extension) return { events: [] };
    const key = `${event}@${extension ?? ''}`;
    if (call.emitted.has(key)) return { events: [] };
    call.emitted.add(key);
    return {
      events: [
        {
          callId: call.callId,
          event,
          caller: call.caller,
          ...(call.callerName !== undefined && { callerName: call.callerName }),
          ...(call.calledNumber !== undefined && { calledNumber: call.calledNumber }),
          ...(extension !== undefined && { agentExtension: extension }),
          ...(event === 'ended' && call.recordingUrl !== undefined && { recordingUrl: call.recordingUrl }),
          ...(reason !== undefined && { reason }),
          at,
        },
      ],
    };
  }

  private recordingUrlOf(path: string): string {
    const base = this.options.recordingBaseUrl;
    if (!base) return `file://${path.startsWith('/') ? '' : '/'}${encodeURI(path)}`;
    const file = path.split('/').pop() ?? path;
    return `${base.replace(/\/+$/, '')}/${encodeURIComponent(file)}`;
  }

  private forgetStale(): void {
    const limit = this.now() - (this.options.forgetAfterMs ?? SIX_HOURS_MS);
    for (const [id, call] of this.calls) if (call.lastSeenMs < limit) this.calls.delete(id);
  }
}

const HANDLED = new Set(['Newchannel', 'DialBegin', 'AgentCalled', 'DialEnd', 'AgentConnect', 'BridgeEnter', 'VarSet', 'QueueCallerAbandon', 'Hangup']);

/** Asterisk writes `<unknown>` (or nothing) for a field it does not know. */
function known(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '<unknown>';
}

/** A caller id as a callable number, or `anonymous` when withheld or not a number. */
function callerOf(num: string | undefined): string {
  return num && /^\+?[0-9]{2,32}$/.test(num) ? num : 'anonymous';
}

/** `Timestamp: 1709348405.123456` (manager.conf `timestampevents = yes`), else the moment it was read. */
function atOf(frame: AmiFrame, nowMs: number): string {
  const ts = Number(frame.Timestamp);
  return new Date(Number.isFinite(ts) && ts > 0 ? Math.round(ts * 1000) : nowMs).toISOString();
}
