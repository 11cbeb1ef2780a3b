import type { CallDirection, CallEvent, MissedReason } from '@sapa/contracts';
import type { AmiFrame } from './ami-frame-reader.js';

/** A call event as read off AMI, before the session names its tenant and channel. */
export type TrackedCallEvent = Omit<CallEvent, 'tenantId' | 'channelId' | 'source'>;

export type TrackResult = { events: TrackedCallEvent[] } | { problem: string };

interface TrackedCall {
  callId: string;
  /** `outbound`: the call's first channel is an agent's extension. */
  direction: CallDirection;
  /** The customer's number; for an outbound call, known once it dials the customer. */
  caller: string;
  callerName?: string;
  calledNumber?: string;
  answeredExtension?: string;
  /** Outbound: the extension that placed the call; the call is followed once it dials a customer (`dialling`). */
  placedBy?: string;
  dialling?: boolean;
  /** Outbound: how the dial to the customer ended when not answered (`BUSY`, `NOANSWER`, `CHANUNAVAIL`, …). */
  dialStatus?: string;
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
 * an agent's extension, and an agent's `outbound` call when it is and dials a number that is not an extension (a call
 * to a colleague is not followed). Customers' calls:
 * - DialBegin / AgentCalled to an extension → `ringing` at it;
 * - DialEnd ANSWER / AgentConnect / an extension entering the call's bridge → `answered` at it (another extension
 *   later: a transfer);
 * - QueueCallerAbandon → `missed` (abandoned); the first channel's Hangup → `ended` if answered, else `missed`
 *   (busy for cause 17, no answer otherwise), with the recording named by MIXMONITOR_FILENAME.
 * Agents' calls (typed on a softphone, or placed by Sapa's click-to-call: AMI Originate rings the agent first, then the
 * dialplan dials the customer), all at the extension that placed the call, the customer being the number dialled:
 * - DialBegin to a number → `ringing`; DialEnd ANSWER → `answered`;
 * - the first channel's Hangup → `ended` if answered, else `missed` (busy for DialStatus BUSY or cause 17,
 *   unavailable for CHANUNAVAIL / CONGESTION, no answer otherwise).
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
    // Dial events of a leg nobody dialled (Originate's call to the agent's phone) name only their destination.
    if ((name === 'DialBegin' || name === 'DialEnd') && frame.Channel === undefined && frame.DestChannel !== undefined) return { events: [] };
    const missing = CALL_FIELDS.filter((f) => frame[f] === undefined || frame[f] === '');
    if (missing.length > 0) return { problem: `${name} without ${missing.join(', ')}` };
    this.forgetStale();
    const at = atOf(frame, this.now());

    if (name === 'Newchannel') {
      if (frame.Uniqueid !== frame.Linkedid || this.calls.has(frame.Linkedid!)) return { events: [] };
      const placedBy = extensionOf(frame.Channel);
      if (placedBy) {
        this.calls.set(frame.Linkedid!, { callId: frame.Linkedid!, direction: 'outbound', caller: '', placedBy, final: false, emitted: new Set(), lastSeenMs: this.now() });
        return { events: [] };
      }
      this.calls.set(frame.Linkedid!, {
        callId: frame.Linkedid!,
        direction: 'inbound',
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
    if (call.direction === 'outbound') return this.trackOutbound(call, frame, at);
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

  /** An agent's call: followed from its dial to a customer's number, always at the extension that placed it. */
  private trackOutbound(call: TrackedCall, frame: AmiFrame, at: string): TrackResult {
    switch (frame.Event) {
      case 'DialBegin': {
        if (call.dialling) return { events: [] };
        const customer = extensionOf(frame.DestChannel) ? undefined : dialledNumberOf(frame);
        // A call to a colleague, or to nothing Sapa can name: not a customer's call, forgotten.
        if (!customer) return this.forget(call);
        call.caller = customer;
        call.dialling = true;
        return this.emit(call, 'ringing', at, call.placedBy);
      }
      case 'DialEnd':
        if (!call.dialling || extensionOf(frame.DestChannel)) return { events: [] };
        if (frame.DialStatus !== 'ANSWER') {
          call.dialStatus = frame.DialStatus;
          return { events: [] };
        }
        return this.answered(call, at, call.placedBy);
      case 'VarSet':
        if (frame.Variable === 'MIXMONITOR_FILENAME' && known(frame.Value)) call.recordingUrl = this.recordingUrlOf(frame.Value!);
        return { events: [] };
      case 'Hangup':
        // The agent's own channel ending ends the call (the customer hanging up ends the dial, then this channel).
        if (frame.Uniqueid !== frame.Linkedid) return { events: [] };
        if (!call.dialling) return this.forget(call);
        return call.answeredExtension ? this.finish(call, 'ended', at) : this.finish(call, 'missed', at, unansweredReason(call.dialStatus, frame.Cause));
      default:
        return { events: [] };
    }
  }

  private forget(call: TrackedCall): TrackResult {
    this.calls.delete(call.callId);
    return { events: [] };
  }

  private answered(call: TrackedCall, at: string, extension: string | undefined): TrackResult {
    if (!extension) return { events: [] };
    call.answeredExtension = extension;
    return this.emit(call, 'answered', at, extension);
  }

  private finish(call: TrackedCall, event: 'ended' | 'missed', at: string, reason?: MissedReason): TrackResult {
    call.final = true;
    this.calls.delete(call.callId);
    return this.emit(call, event, at, call.answeredExtension ?? call.placedBy, reason);
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
          ...(call.direction === 'outbound' && { direction: 'outbound' as const }),
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

/**
 * The customer's number an agent's channel dials: the outgoing channel's caller id (Asterisk names the party called
 * there), else the extension the agent dialled, else the end of the dial string (`telkom/0812…`, `0812…@telkom`).
 */
function dialledNumberOf(frame: AmiFrame): string | undefined {
  const fromDialString = frame.DialString?.split('/').pop()?.split('@')[0];
  return [frame.DestCallerIDNum, frame.Exten, fromDialString].find((n): n is string => n !== undefined && /^\+?[0-9]{4,32}$/.test(n));
}

/** Why the customer did not answer an agent's call, from the dial's status or the hangup cause. */
function unansweredReason(dialStatus: string | undefined, cause: string | undefined): MissedReason {
  if (dialStatus === 'BUSY' || cause === '17') return 'busy';
  if (dialStatus === 'CHANUNAVAIL' || dialStatus === 'CONGESTION') return 'unavailable';
  return 'no_answer';
}

/** `Timestamp: 1709348405.123456` (manager.conf `timestampevents = yes`), else the moment it was read. */
function atOf(frame: AmiFrame, nowMs: number): string {
  const ts = Number(frame.Timestamp);
  return new Date(Number.isFinite(ts) && ts > 0 ? Math.round(ts * 1000) : nowMs).toISOString();
}
