import { describe, expect, it } from '@jest/globals';
import { callText, decideCallStep, durationOf, formatDuration, isCallable, isConnected, type CallState, type CallStepEvent } from '../../src/index.js';

const t = (s: number) => new Date(Date.UTC(2026, 2, 2, 3, 0, s));
const fresh = (caller = '+6281234567890', direction: CallState['direction'] = 'inbound'): CallState => ({
  status: null,
  direction,
  caller,
  agentExtension: null,
  ringingAt: null,
  answeredAt: null,
  endedAt: null,
  recordingUrl: null,
  missedReason: null,
  callback: false,
});
const REC = 'https://pbx.example/rec/1.wav';

/** Applies events in order, as the voice service does, and answers the last state and every action taken. */
function walk(events: CallStepEvent[], start: CallState = fresh()) {
  let state = start;
  const actions: string[] = [];
  for (const e of events) {
    const step = decideCallStep(state, e);
    const a = step.action;
    actions.push(a.kind === 'hold' ? `hold:${a.extension}` : a.kind === 'end' ? `end:${a.closeReason}` : a.kind === 'unanswered' ? `unanswered:${a.reason}` : a.kind);
    state = { ...state, ...step.record };
  }
  return { state, actions };
}

/** call-step.ts: one event of a call, in any order the PBX or its retries deliver them (issue 8 item 3). */
describe('decideCallStep', () => {
  it.each([
    ['ringing at an extension: the agent holds the call', [{ event: 'ringing', at: t(1), agentExtension: '201' }], 'ringing', ['hold:201']],
    ['ringing with no extension yet (IVR, PBX queue): record only', [{ event: 'ringing', at: t(1) }], 'ringing', ['none']],
    ['answered at the ringing extension: held again (no change)', [{ event: 'ringing', at: t(1), agentExtension: '201' }, { event: 'answered', at: t(2) }], 'answered', ['hold:201', 'hold:201']],
    ['a queue rings another extension: the call moves there', [{ event: 'ringing', at: t(1), agentExtension: '201' }, { event: 'ringing', at: t(2), agentExtension: '202' }], 'ringing', ['hold:201', 'hold:202']],
    ['answered elsewhere than it rang (ring-all): the answering agent holds it', [{ event: 'ringing', at: t(1), agentExtension: '201' }, { event: 'answered', at: t(2), agentExtension: '202' }], 'answered', ['hold:201', 'hold:202']],
    ['transferred after the answer: the new extension holds it', [{ event: 'answered', at: t(1), agentExtension: '201' }, { event: 'answered', at: t(5), agentExtension: '203' }], 'answered', ['hold:201', 'hold:203']],
    ['ended: the conversation closes', [{ event: 'answered', at: t(1), agentExtension: '201' }, { event: 'ended', at: t(9) }], 'ended', ['hold:201', 'end:call_ended']],
    ['ended with no answer seen (lost): still an answered call that ended', [{ event: 'ended', at: t(9), agentExtension: '201' }], 'ended', ['end:call_ended']],
    ['missed while ringing: a callback task', [{ event: 'ringing', at: t(1), agentExtension: '201' }, { event: 'missed', at: t(20) }], 'missed', ['hold:201', 'callback']],
    ['missed with no ringing seen: a callback task', [{ event: 'missed', at: t(20), reason: 'abandoned' }], 'missed', ['callback']],
    ['missed after the answer contradicts it: nothing changes', [{ event: 'answered', at: t(1), agentExtension: '201' }, { event: 'missed', at: t(20) }], 'answered', ['hold:201', 'none']],
    ['ended after missed: the first final event decides', [{ event: 'missed', at: t(20) }, { event: 'ended', at: t(21) }], 'missed', ['callback', 'none']],
    ['missed after ended: the first final event decides', [{ event: 'answered', at: t(1), agentExtension: '201' }, { event: 'ended', at: t(9) }, { event: 'missed', at: t(10) }], 'ended', ['hold:201', 'end:call_ended', 'none']],
    ['ringing after the answer (out of order): record only', [{ event: 'answered', at: t(2), agentExtension: '201' }, { event: 'ringing', at: t(1), agentExtension: '201' }], 'answered', ['hold:201', 'none']],
    ['answered after ended (out of order): record only', [{ event: 'ended', at: t(9), agentExtension: '201' }, { event: 'answered', at: t(2), agentExtension: '201' }], 'ended', ['end:call_ended', 'none']],
    ['answered with no extension known: record only until the end', [{ event: 'answered', at: t(2) }], 'answered', ['none']],
  ] as Array<[string, CallStepEvent[], string, string[]]>)('%s', (_name, events, status, actions) => {
    const walked = walk(events);
    expect(walked.state.status).toBe(status);
    expect(walked.actions).toEqual(actions);
  });

  it('a missed call from a withheld number is kept on record with nobody asked to call back', () => {
    const step = decideCallStep(fresh('anonymous'), { event: 'missed', at: t(3), agentExtension: '201' });
    expect(step.action).toEqual({ kind: 'end', closeReason: 'missed_call' });
    expect(step.record).toMatchObject({ status: 'missed', callback: false, missedReason: 'no_answer', endedAt: t(3) });
    expect(step.outcome).toBe('missed_unreachable');
  });

  it('a missed call keeps its reason and asks for a callback', () => {
    const step = decideCallStep(fresh(), { event: 'missed', at: t(3), reason: 'abandoned' });
    expect(step.action).toEqual({ kind: 'callback', reason: 'abandoned' });
    expect(step.record).toMatchObject({ status: 'missed', callback: true, missedReason: 'abandoned', durationSeconds: null });
  });

  it('fills in times, duration and recording whatever the order of ringing, answered and ended', () => {
    const events: CallStepEvent[] = [
      { event: 'ringing', at: t(1), agentExtension: '201' },
      { event: 'answered', at: t(4), agentExtension: '201' },
      { event: 'ended', at: t(129), recordingUrl: REC },
    ];
    for (const order of permutations(events)) {
      const { state } = walk(order);
      expect({ ...state, order: order.map((e) => e.event) }).toMatchObject({
        status: 'ended',
        agentExtension: '201',
        ringingAt: t(1),
        answeredAt: t(4),
        endedAt: t(129),
        recordingUrl: REC,
      });
      expect(durationOf(state.answeredAt, state.endedAt)).toBe(125);
    }
  });

  it('applies an event twice as once: the second finds the record already moved', () => {
    const once = walk([{ event: 'answered', at: t(2), agentExtension: '201' }, { event: 'ended', at: t(9), recordingUrl: REC }]);
    const twice = walk([
      { event: 'answered', at: t(2), agentExtension: '201' },
      { event: 'answered', at: t(2), agentExtension: '201' },
      { event: 'ended', at: t(9), recordingUrl: REC },
      { event: 'ended', at: t(9), recordingUrl: REC },
    ]);
    expect(twice.state).toEqual(once.state);
    expect(twice.actions).toEqual(['hold:201', 'hold:201', 'end:call_ended', 'none']);
  });

  /** An agent's outbound call (a callback): the same walk, but nobody is asked to call back when it is not answered. */
  it.each([
    ['dialling the customer: the agent holds the call', [{ event: 'ringing', at: t(1), agentExtension: '201' }], 'ringing', ['hold:201']],
    ['the customer picks up, then hangs up', [{ event: 'ringing', at: t(1), agentExtension: '201' }, { event: 'answered', at: t(6), agentExtension: '201' }, { event: 'ended', at: t(60) }], 'ended', ['hold:201', 'hold:201', 'end:call_ended']],
    ['nobody picks up: an unanswered attempt, no callback', [{ event: 'ringing', at: t(1), agentExtension: '201' }, { event: 'missed', at: t(30) }], 'missed', ['hold:201', 'unanswered:no_answer']],
    ['the line is busy', [{ event: 'missed', at: t(3), agentExtension: '201', reason: 'busy' }], 'missed', ['unanswered:busy']],
    ['missed after the answer contradicts it', [{ event: 'answered', at: t(6), agentExtension: '201' }, { event: 'missed', at: t(30) }], 'answered', ['hold:201', 'none']],
    ['answered late after an unanswered end', [{ event: 'missed', at: t(30), agentExtension: '201' }, { event: 'answered', at: t(6), agentExtension: '201' }], 'missed', ['unanswered:no_answer', 'none']],
  ] as Array<[string, CallStepEvent[], string, string[]]>)('outbound, %s', (_name, events, status, actions) => {
    const walked = walk(events, fresh('+6281234567890', 'outbound'));
    expect(walked.state.status).toBe(status);
    expect(walked.actions).toEqual(actions);
    expect(walked.state.callback).toBe(false);
  });

  it('an unanswered outbound call keeps its reason and asks for no callback', () => {
    const step = decideCallStep(fresh('+6281234567890', 'outbound'), { event: 'missed', at: t(3), reason: 'busy' });
    expect(step).toMatchObject({ action: { kind: 'unanswered', reason: 'busy' }, outcome: 'unanswered', record: { status: 'missed', callback: false, missedReason: 'busy', endedAt: t(3) } });
  });

  it.each([
    [null, false],
    ['ringing', false],
    ['answered', true],
    ['ended', true],
    ['missed', false],
  ] as const)('a call that is %p has reached the customer: %p', (status, connected) => expect(isConnected(status)).toBe(connected));

  it('takes a recording that comes with a repeated ended, and never a recording for a missed call', () => {
    const ended = walk([{ event: 'ended', at: t(9), agentExtension: '201' }, { event: 'ended', at: t(9), recordingUrl: REC }]);
    expect(ended.state.recordingUrl).toBe(REC);
    const missed = walk([{ event: 'missed', at: t(9) }, { event: 'ended', at: t(10), recordingUrl: REC }]);
    expect(missed.state.recordingUrl).toBeNull();
  });
});

describe('call texts and helpers', () => {
  it.each([
    ['id', 'callback', 'Panggilan tak terjawab dari +6281234567890 — mohon telepon balik'],
    ['en', 'callback', 'Missed call from +6281234567890 — please call back'],
    ['id', 'incoming', 'Panggilan masuk dari +6281234567890'],
    ['en', 'ended', 'Call ended, duration 2:05'],
    ['id', 'ended', 'Panggilan selesai, durasi 2:05'],
    ['id', 'outgoing', 'Panggilan keluar ke +6281234567890'],
    ['en', 'outgoing', 'Outgoing call to +6281234567890'],
    ['id', 'outgoingUnanswered', 'Panggilan keluar ke +6281234567890 tidak diangkat'],
    ['id', 'callbackDone', 'Telepon balik tersambung — tugas telepon balik selesai'],
    ['en', 'callbackDone', 'Callback connected — callback task done'],
    ['id', 'callbackAttempt', 'Telepon balik ke +6281234567890 tidak diangkat (percobaan ke-2) — tugas tetap terbuka'],
    ['en', 'callbackAttempt', 'Callback to +6281234567890 not answered (attempt 2) — the task stays open'],
    ['id', 'callFailed', 'Panggilan ke +6281234567890 tidak dapat dimulai: PBX menolak atau tidak terjangkau — telepon dari softphone'],
  ] as const)('%s %s', (locale, kind, text) => {
    expect(callText(locale, kind, { caller: '+6281234567890', durationSeconds: 125, attempt: 2 })).toBe(text);
  });

  it.each([
    [null, '-'],
    [0, '0:00'],
    [59, '0:59'],
    [125, '2:05'],
    [3725, '1:02:05'],
  ] as const)('formats %p seconds as %s', (seconds, text) => expect(formatDuration(seconds)).toBe(text));

  it.each([
    ['+6281234567890', true],
    ['081234567890', true],
    ['anonymous', false],
    ['12', false],
    ['', false],
  ] as const)('%s can be called back: %p', (caller, callable) => expect(isCallable(caller)).toBe(callable));

  it('counts no duration before both ends are known, and none below zero', () => {
    expect(durationOf(null, t(5))).toBeNull();
    expect(durationOf(t(5), null)).toBeNull();
    expect(durationOf(t(5), t(4))).toBe(0);
  });
});

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}
