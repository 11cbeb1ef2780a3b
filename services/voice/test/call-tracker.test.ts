import { describe, expect, it } from '@jest/globals';
import { AmiFrameReader, CallTracker, extensionOf, formatAction, parseBlock, reconnectDelayMs, type AmiRead, type TrackedCallEvent } from '../src/index.js';
import { amiWire } from './helpers/ami-fixtures.js';

/** Every read of a recorded session, chunked as `chunkSize` bytes at a time (a socket cuts anywhere). */
function readAll(wire: string, chunkSize = wire.length): AmiRead[] {
  const reader = new AmiFrameReader();
  const reads: AmiRead[] = [];
  for (let i = 0; i < wire.length; i += chunkSize) reads.push(...reader.push(Buffer.from(wire.slice(i, i + chunkSize))));
  return reads;
}

/** The call events a recorded session makes, and what the tracker could not read. */
function replay(name: string, options: ConstructorParameters<typeof CallTracker>[0] = {}) {
  const tracker = new CallTracker(options);
  const events: TrackedCallEvent[] = [];
  const problems: string[] = [];
  for (const read of readAll(amiWire(name))) {
    if (read.kind === 'malformed') problems.push(`malformed: ${read.reason}`);
    if (read.kind !== 'frame') continue;
    const result = tracker.track(read.frame);
    if ('problem' in result) problems.push(result.problem);
    else events.push(...result.events);
  }
  return { events, problems, tracker };
}

const iso = (unixSeconds: number) => new Date(Math.round(unixSeconds * 1000)).toISOString();

describe('AmiFrameReader', () => {
  it('reads the greeting and every block of a recorded session, whatever the chunking', () => {
    const wire = amiWire('queue-call-answered.ami');
    const whole = readAll(wire);
    expect(whole[0]).toEqual({ kind: 'greeting', line: 'Asterisk Call Manager/7.0.3' });
    expect(whole.filter((r) => r.kind === 'frame').map((r) => (r.kind === 'frame' ? r.frame.Event : ''))).toEqual([
      'FullyBooted', 'Newchannel', 'Newexten', 'VarSet', 'PeerStatus', 'QueueCallerJoin', 'Newchannel', 'AgentCalled',
      'DialBegin', 'DialEnd', 'AgentConnect', 'BridgeEnter', 'BridgeEnter', 'Hangup', 'Hangup',
    ]);
    for (const size of [1, 7, 64, 1000]) expect(readAll(wire, size)).toEqual(whole);
  });

  it('keeps empty values and the first of a repeated key', () => {
    const read = parseBlock('Event: Newchannel\r\nAccountCode: \r\nChanVariable: A=1\r\nChanVariable: B=2');
    expect(read).toMatchObject({ kind: 'frame', frame: { Event: 'Newchannel', AccountCode: '', ChanVariable: 'A=1' } });
  });

  it.each([
    ['a line without a colon', 'Event: Hangup\r\nthis is not a field'],
    ['neither Event nor Response', 'Channel: PJSIP/201-1\r\nUniqueid: 1.1'],
    ['binary junk', '\u0000\u0001\u0002garbage'],
  ])('gives up a block with %s as malformed and reads on', (_case, block) => {
    const reads = readAll(`Asterisk Call Manager/7.0.3\r\n${block}\r\n\r\nEvent: FullyBooted\r\n\r\n`);
    expect(reads.map((r) => r.kind)).toEqual(['greeting', 'malformed', 'frame']);
  });

  it('gives up a block that never ends past 64 KiB, and reads on', () => {
    const reader = new AmiFrameReader();
    reader.push('Asterisk Call Manager/7.0.3\r\n');
    const reads = reader.push(`Event: X\r\nJunk: ${'x'.repeat(70 * 1024)}`);
    expect(reads.map((r) => r.kind)).toEqual(['malformed']);
    expect(reader.push('Event: FullyBooted\r\n\r\n').map((r) => r.kind)).toEqual(['frame']);
  });

  it('writes actions as CRLF lines and refuses a value with a line break', () => {
    expect(formatAction({ Action: 'Login', ActionID: 'a1', Username: 'sapa', Secret: 's3cret' })).toBe(
      'Action: Login\r\nActionID: a1\r\nUsername: sapa\r\nSecret: s3cret\r\n\r\n',
    );
    expect(() => formatAction({ Action: 'Login', Secret: 'x\r\nAction: Originate' })).toThrow(/line break/);
  });
});

/** call-tracker.ts against recorded Asterisk 18 sessions (issue 8 item 3). */
describe('CallTracker', () => {
  it('maps a queue call answered by 201 to ringing, answered and ended with the recording', () => {
    const { events, problems, tracker } = replay('queue-call-answered.ami', { recordingBaseUrl: 'https://pbx.example/recordings/' });
    const call = { callId: '1772420401.1', caller: '081234567890', callerName: 'Siti Aminah', calledNumber: '02150001234' };
    expect(events).toEqual([
      { ...call, event: 'ringing', agentExtension: '201', at: iso(1772420401.703) },
      { ...call, event: 'answered', agentExtension: '201', at: iso(1772420406.21) },
      { ...call, event: 'ended', agentExtension: '201', recordingUrl: 'https://pbx.example/recordings/1772420401.1.wav', at: iso(1772420531.4) },
    ]);
    expect(problems).toEqual([]);
    expect(tracker.size).toBe(0);
  });

  it('names the recording by its file path when the PBX serves no recordings over HTTP', () => {
    const { events } = replay('queue-call-answered.ami');
    expect(events.at(-1)?.recordingUrl).toBe('file:///var/spool/asterisk/monitor/1772420401.1.wav');
  });

  it('maps a caller who abandons the queue to one missed call (abandoned), not a second one on hangup', () => {
    const { events } = replay('queue-call-abandoned.ami');
    const call = { callId: '1772420600.10', caller: '+6281298765432', calledNumber: '02150001234' };
    expect(events).toEqual([
      { ...call, event: 'ringing', agentExtension: '202', at: iso(1772420602) },
      { ...call, event: 'missed', reason: 'abandoned', at: iso(1772420631.001) },
    ]);
  });

  it('maps an agent hanging up on an unanswered outbound call to missed, and a withheld caller meeting a busy extension to missed (busy)', () => {
    const { events } = replay('direct-call-busy-and-outbound.ami');
    const outbound = { callId: '1772420700.20', direction: 'outbound', caller: '081234567890', agentExtension: '201' };
    const call = { callId: '1772420800.30', caller: 'anonymous', calledNumber: '203' };
    expect(events).toEqual([
      { ...outbound, event: 'ringing', at: iso(1772420700.1) },
      { ...outbound, event: 'missed', reason: 'no_answer', at: iso(1772420760) },
      { ...call, event: 'ringing', agentExtension: '203', at: iso(1772420800.1) },
      { ...call, event: 'missed', reason: 'busy', at: iso(1772420800.4) },
    ]);
  });

  it('maps an agent calling a customer from the softphone to outbound ringing, answered and ended with the recording, and follows no call to a colleague', () => {
    const { events, problems, tracker } = replay('outbound-call-answered.ami', { recordingBaseUrl: 'https://pbx.example/recordings' });
    const call = { callId: '1772421000.40', direction: 'outbound', caller: '081234567890', agentExtension: '201' };
    expect(events).toEqual([
      { ...call, event: 'ringing', at: iso(1772421000.1) },
      { ...call, event: 'answered', at: iso(1772421009.5) },
      { ...call, event: 'ended', recordingUrl: 'https://pbx.example/recordings/out-1772421000.40.wav', at: iso(1772421101.001) },
    ]);
    expect(problems).toEqual([]);
    expect(tracker.size).toBe(0);
  });

  it('maps a click-to-call (Originate: the agent rung first) the customer does not answer to outbound ringing and missed (no answer), quarantining nothing', () => {
    const { events, problems, tracker } = replay('outbound-originate-no-answer.ami');
    const call = { callId: '1772421300.60', direction: 'outbound', caller: '+6281298765432', agentExtension: '202' };
    expect(events).toEqual([
      { ...call, event: 'ringing', at: iso(1772421303.3) },
      { ...call, event: 'missed', reason: 'no_answer', at: iso(1772421333.5) },
    ]);
    expect(problems).toEqual([]);
    expect(tracker.size).toBe(0);
  });

  it.each([
    ['BUSY', '16', 'busy'],
    ['CHANUNAVAIL', '16', 'unavailable'],
    ['CONGESTION', '34', 'unavailable'],
    ['NOANSWER', '16', 'no_answer'],
    ['CANCEL', '17', 'busy'],
  ])('reads an outbound dial ending %s (hangup cause %s) as missed, %s', (dialStatus, cause, reason) => {
    const tracker = new CallTracker();
    const leg = { Channel: 'PJSIP/201-00000001', Uniqueid: '5.1', Linkedid: '5.1' };
    const frames = [
      { Event: 'Newchannel', ...leg },
      { Event: 'DialBegin', ...leg, DestChannel: 'PJSIP/telkom-00000002', DestCallerIDNum: '081234567890' },
      { Event: 'DialEnd', ...leg, DestChannel: 'PJSIP/telkom-00000002', DialStatus: dialStatus },
      { Event: 'Hangup', ...leg, Cause: cause },
    ];
    const events = frames.flatMap((f) => {
      const r = tracker.track(f);
      return 'events' in r ? r.events : [];
    });
    expect(events.map((e) => `${e.direction}:${e.event}:${e.reason ?? ''}`)).toEqual(['outbound:ringing:', `outbound:missed:${reason}`]);
  });

  it('takes the customer number from the dial string when the outgoing channel names none', () => {
    const tracker = new CallTracker();
    const leg = { Channel: 'SIP/3001-00000001', Uniqueid: '6.1', Linkedid: '6.1', Exten: 's' };
    tracker.track({ Event: 'Newchannel', ...leg });
    const r = tracker.track({ Event: 'DialBegin', ...leg, DestChannel: 'SIP/trunk-00000002', DestCallerIDNum: '<unknown>', DialString: 'trunk/+6221555123' });
    expect('events' in r && r.events).toEqual([expect.objectContaining({ direction: 'outbound', caller: '+6221555123', agentExtension: '3001', event: 'ringing' })]);
  });

  it('reads a call whole around garbage, and names what it could not read', () => {
    const { events, problems } = replay('garbage-between-events.ami');
    expect(events.map((e) => `${e.event}@${e.agentExtension ?? ''}`)).toEqual(['ringing@204', 'answered@204', 'ended@204']);
    expect(problems).toEqual([
      expect.stringMatching(/^malformed: not a "Key: Value" line/),
      'malformed: a block with neither Event nor Response',
      'Hangup without Linkedid',
    ]);
  });

  it('gives each event of a call once, however many frames say it (AgentCalled and DialBegin, a frame repeated)', () => {
    const tracker = new CallTracker();
    const frames = readAll(amiWire('queue-call-abandoned.ami')).flatMap((r) => (r.kind === 'frame' ? [r.frame] : []));
    const [newchannel, agentCalled, dialBegin] = frames;
    const events = [newchannel!, agentCalled!, dialBegin!, dialBegin!, agentCalled!].flatMap((f) => {
      const r = tracker.track(f);
      return 'events' in r ? r.events : [];
    });
    expect(events.map((e) => `${e.event}@${e.agentExtension}`)).toEqual(['ringing@202']);
  });

  it('forgets calls it has not heard of for a long time', () => {
    let now = 0;
    const tracker = new CallTracker({ forgetAfterMs: 1000, now: () => now });
    const frames = readAll(amiWire('queue-call-abandoned.ami')).flatMap((r) => (r.kind === 'frame' ? [r.frame] : []));
    tracker.track(frames[0]!);
    expect(tracker.size).toBe(1);
    now = 5000;
    tracker.track({ Event: 'Hangup', Channel: 'PJSIP/x-1', Uniqueid: '9.9', Linkedid: '9.9' });
    expect(tracker.size).toBe(0);
  });

  it.each([
    ['PJSIP/201-0000000a', '201'],
    ['SIP/3001-00000001', '3001'],
    ['Local/205@from-queue-00000001;1', '205'],
    ['PJSIP/201', '201'],
    ['PJSIP/telkom-00000001', undefined],
    [undefined, undefined],
  ])('reads the extension of %s as %s', (channel, extension) => expect(extensionOf(channel)).toBe(extension));
});

describe('reconnectDelayMs', () => {
  it('doubles from the least wait up to the most, with at most a fifth of spread', () => {
    const none = () => 0;
    expect([0, 1, 2, 3, 10, 50].map((a) => reconnectDelayMs(a, { minMs: 100, maxMs: 1000 }, none))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(reconnectDelayMs(0, { minMs: 100, maxMs: 1000 }, () => 0.999)).toBeGreaterThanOrEqual(80);
  });
});
