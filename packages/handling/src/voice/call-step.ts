import type { CallDirection, CallEventType, MissedReason } from '@sapa/contracts';

/**
 * The life of one call as Sapa records it, event by event (issue 8 item 3): pure, so every order in which a PBX or a
 * webhook retry may deliver the events is checked by unit tests (test/voice/call-step.test.ts).
 */
export type CallStatus = 'ringing' | 'answered' | 'ended' | 'missed';

/** The call record as stored before the event (null status: the first event of the call). */
export interface CallState {
  status: CallStatus | null;
  /** Who dialled: fixed by the call's first event (an agent's outbound call has no callback of its own). */
  direction: CallDirection;
  /** The customer's number, whichever side dialled. */
  caller: string;
  agentExtension: string | null;
  ringingAt: Date | null;
  answeredAt: Date | null;
  endedAt: Date | null;
  recordingUrl: string | null;
  missedReason: MissedReason | null;
  callback: boolean;
}

export interface CallStepEvent {
  event: CallEventType;
  at: Date;
  agentExtension?: string;
  recordingUrl?: string;
  reason?: MissedReason;
}

/**
 * What the event asks of the call's conversation:
 * - `hold`: the call is at this extension (ringing or talking): the extension's agent holds the conversation and its
 *   voice capacity (opened if the call had none; moved from another agent if it rang or was transferred elsewhere);
 * - `end`: the call is over: the conversation closes with `closeReason`, freeing the agent's capacity (opened first
 *   when the call never had one, so every call is on record);
 * - `callback`: a missed call: the agent who let it ring (if any) is freed and the conversation waits in the team's
 *   queue as a callback task;
 * - `unanswered`: an agent's outbound call the customer did not pick up: an attempt on the conversation's callback
 *   task (which stays open, with its agent), else the conversation the call opened closes;
 * - `none`: only the record changes (a late or repeated event, a call still waiting in the PBX).
 */
export type CallAction =
  | { kind: 'none' }
  | { kind: 'hold'; extension: string }
  | { kind: 'end'; closeReason: CallCloseReason }
  | { kind: 'callback'; reason: MissedReason }
  | { kind: 'unanswered'; reason: MissedReason };

/**
 * How a call's conversation closes: the call was answered and is over, it was missed with nobody to call back, or an
 * agent's outbound call was not answered (and no callback task waits on it).
 */
export type CallCloseReason = 'call_ended' | 'missed_call' | 'call_unanswered';

/** The record after the event. */
export interface CallRecordAfter {
  status: CallStatus;
  agentExtension: string | null;
  ringingAt: Date | null;
  answeredAt: Date | null;
  endedAt: Date | null;
  durationSeconds: number | null;
  recordingUrl: string | null;
  missedReason: MissedReason | null;
  callback: boolean;
}

export interface CallStep {
  record: CallRecordAfter;
  action: CallAction;
  /** Why, in a word, for the log and the applied-events table. */
  outcome: CallStepOutcome;
}

export type CallStepOutcome =
  | 'waiting'
  | 'held'
  | 'ended'
  | 'callback'
  | 'unanswered'
  | 'missed_unreachable'
  | 'late'
  | 'contradicted'
  | 'already_final';

const FINAL: ReadonlySet<CallStatus> = new Set(['ended', 'missed']);

/**
 * The priority of a callback task in its team's queue: ahead of ordinary new chats (0), behind a fraud report (100).
 * A customer who already waited on the phone and gave up should not wait again behind newer contacts.
 */
export const CALLBACK_PRIORITY = 10;

/** The call reached the customer: answered, or answered and over. What completes a callback task. */
export function isConnected(status: CallStatus | null): boolean {
  return status === 'answered' || status === 'ended';
}

/** A caller Sapa can ring back: a number, not a withheld caller id. */
export function isCallable(caller: string): boolean {
  return /^\+?[0-9]{4,32}$/.test(caller);
}

/**
 * Applies one event to a call. Events are idempotent by (call, event, extension) before they get here; this decides
 * what an event means given everything that came before, in whatever order it arrived:
 * - `ended` and `missed` are final: the first of them decides, anything after only fills in times and the recording;
 * - a `ringing` or `answered` arriving after the call moved on only records its time (`late`);
 * - `ended` means answered and over (a webhook says `missed` for a call nobody took), even when `answered` was lost;
 * - `missed` after an answer is a contradiction and changes nothing;
 * - an outbound call that is `missed` asks for no callback (the agent dialled; Sapa counts the attempt instead);
 * - an `answered` at another extension than the one holding the call is a transfer: the call moves there.
 */
export function decideCallStep(state: CallState, e: CallStepEvent): CallStep {
  const times = {
    ringingAt: e.event === 'ringing' ? earliest(state.ringingAt, e.at) : state.ringingAt,
    answeredAt: e.event === 'answered' ? earliest(state.answeredAt, e.at) : state.answeredAt,
    endedAt: state.endedAt,
  };
  const base = {
    status: state.status ?? 'ringing',
    agentExtension: state.agentExtension,
    ...times,
    recordingUrl: state.recordingUrl ?? e.recordingUrl ?? null,
    missedReason: state.missedReason,
    callback: state.callback,
  } satisfies Omit<CallRecordAfter, 'durationSeconds'>;
  const done = (record: Omit<CallRecordAfter, 'durationSeconds'>, action: CallAction, outcome: CallStepOutcome): CallStep => ({
    record: { ...record, durationSeconds: durationOf(record.answeredAt, record.endedAt) },
    action,
    outcome,
  });

  if (state.status !== null && FINAL.has(state.status)) {
    const outcome = e.event === 'ended' || e.event === 'missed' ? 'already_final' : 'late';
    // The recording of an answered call may come with a repeated `ended`; the times of late events fill gaps only.
    return done(
      {
        ...base,
        status: state.status,
        agentExtension: state.agentExtension ?? e.agentExtension ?? null,
        recordingUrl: state.status === 'ended' ? base.recordingUrl : state.recordingUrl,
      },
      { kind: 'none' },
      outcome,
    );
  }

  const extension = e.agentExtension ?? state.agentExtension;
  switch (e.event) {
    case 'ringing': {
      if (state.status === 'answered') return done({ ...base, status: 'answered', agentExtension: extension }, { kind: 'none' }, 'late');
      if (!extension) return done({ ...base, status: 'ringing' }, { kind: 'none' }, 'waiting');
      return done({ ...base, status: 'ringing', agentExtension: extension }, { kind: 'hold', extension }, 'held');
    }
    case 'answered': {
      if (!extension) return done({ ...base, status: 'answered' }, { kind: 'none' }, 'waiting');
      return done({ ...base, status: 'answered', agentExtension: extension }, { kind: 'hold', extension }, 'held');
    }
    case 'ended': {
      const endedAt = earliest(state.endedAt, e.at);
      return done(
        { ...base, status: 'ended', agentExtension: extension, endedAt, recordingUrl: e.recordingUrl ?? state.recordingUrl },
        { kind: 'end', closeReason: 'call_ended' },
        'ended',
      );
    }
    case 'missed': {
      if (state.status === 'answered') return done({ ...base, status: 'answered' }, { kind: 'none' }, 'contradicted');
      const reason = e.reason ?? 'no_answer';
      const endedAt = earliest(state.endedAt, e.at);
      const record = { ...base, status: 'missed' as const, agentExtension: extension, endedAt, missedReason: reason };
      if (state.direction === 'outbound') return done({ ...record, callback: false }, { kind: 'unanswered', reason }, 'unanswered');
      // A withheld number cannot be called back: the call is kept on record, and nobody is asked to ring it.
      if (!isCallable(state.caller)) return done({ ...record, callback: false }, { kind: 'end', closeReason: 'missed_call' }, 'missed_unreachable');
      return done({ ...record, callback: true }, { kind: 'callback', reason }, 'callback');
    }
  }
}

function earliest(a: Date | null, b: Date): Date {
  return a && a < b ? a : b;
}

/** Whole seconds from answer to end; none until both are known. */
export function durationOf(answeredAt: Date | null, endedAt: Date | null): number | null {
  if (!answeredAt || !endedAt) return null;
  return Math.max(0, Math.round((endedAt.getTime() - answeredAt.getTime()) / 1000));
}
