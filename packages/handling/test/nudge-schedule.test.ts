import { describe, expect, it } from '@jest/globals';
import { CHANNEL_TYPES, CONVERSATION_STATUSES, type ChannelType, type ConversationStatus } from '@sapa/contracts';
import { DEFAULT_HANDLING_SETTINGS, hasNudges, nudgeJobId, nudgeSchedule, type ClockEvent, type NudgeTimerKind } from '../src/index.js';

const t = new Date('2026-05-06T03:00:00.000Z');
const settings = DEFAULT_HANDLING_SETTINGS.inactivity;
const CHAT: ChannelType[] = ['api', 'whatsapp_cloud', 'whatsapp_baileys', 'messenger', 'instagram', 'telegram', 'livechat'];
const EVENTS: ClockEvent['type'][] = ['agent_message', 'customer_message', 'contact_left'];

/** customer-handling.md §Inactivity nudges, written as the expected kinds for each event, channel and status. */
function expectedKinds(event: ClockEvent['type'], channel: ChannelType, status: ConversationStatus): NudgeTimerKind[] {
  if (!CHAT.includes(channel)) return []; // never email or voice
  if (event === 'agent_message') return status === 'assigned' ? ['nudge1', 'nudge2', 'close'] : [];
  if (event === 'contact_left') return channel === 'livechat' && (status === 'assigned' || status === 'queued') ? ['leave_nudge', 'leave_close'] : [];
  return []; // a customer message cancels the clock
}

describe('nudgeSchedule for every event × channel type × status', () => {
  const cases = EVENTS.flatMap((event) =>
    CHANNEL_TYPES.flatMap((channel) => CONVERSATION_STATUSES.map((status) => [event, channel, status, expectedKinds(event, channel, status)] as const)),
  );

  it('covers every combination', () => {
    expect(cases).toHaveLength(EVENTS.length * CHANNEL_TYPES.length * CONVERSATION_STATUSES.length);
  });

  it.each(cases)('%s on %s while %s → %j', (event, channelType, status, kinds) => {
    const timers = nudgeSchedule({ settings, channelType, status, event: { type: event, at: t }, lastSeq: 0 });
    expect(timers.map((x) => x.kind)).toEqual(kinds);
  });
});

describe('nudgeSchedule timing', () => {
  it('after an agent word at t: nudge at t+60, again at t+120, close at t+180 by default', () => {
    expect(nudgeSchedule({ settings, channelType: 'whatsapp_cloud', status: 'assigned', event: { type: 'agent_message', at: t }, lastSeq: 0 })).toEqual([
      { kind: 'nudge1', dueAt: new Date('2026-05-06T03:01:00.000Z'), seq: 1 },
      { kind: 'nudge2', dueAt: new Date('2026-05-06T03:02:00.000Z'), seq: 2 },
      { kind: 'close', dueAt: new Date('2026-05-06T03:03:00.000Z'), seq: 3 },
    ]);
  });

  it('adds the three tenant durations one after another', () => {
    const custom = { firstNudgeSeconds: 5, secondNudgeSeconds: 7, closeSeconds: 11, liveChatLeaveCloseSeconds: 13 };
    const timers = nudgeSchedule({ settings: custom, channelType: 'api', status: 'assigned', event: { type: 'agent_message', at: t }, lastSeq: 41 });
    expect(timers.map((x) => [x.kind, (x.dueAt.getTime() - t.getTime()) / 1000, x.seq])).toEqual([
      ['nudge1', 5, 42],
      ['nudge2', 12, 43],
      ['close', 23, 44],
    ]);
  });

  it('on live chat, when the customer leaves, asks at once and closes after liveChatLeaveCloseSeconds', () => {
    const custom = { ...settings, liveChatLeaveCloseSeconds: 90 };
    expect(nudgeSchedule({ settings: custom, channelType: 'livechat', status: 'assigned', event: { type: 'contact_left', at: t }, lastSeq: 3 })).toEqual([
      { kind: 'leave_nudge', dueAt: t, seq: 4 },
      { kind: 'leave_close', dueAt: new Date('2026-05-06T03:01:30.000Z'), seq: 5 },
    ]);
  });

  it('keeps sub-second precision of the event time', () => {
    const at = new Date('2026-05-06T03:00:00.250Z');
    const [first] = nudgeSchedule({ settings, channelType: 'telegram', status: 'assigned', event: { type: 'agent_message', at }, lastSeq: 0 });
    expect(first?.dueAt.toISOString()).toBe('2026-05-06T03:01:00.250Z');
  });

  it('a restarted clock continues the sequence so job ids never collide with the old timers', () => {
    const first = nudgeSchedule({ settings, channelType: 'api', status: 'assigned', event: { type: 'agent_message', at: t }, lastSeq: 0 });
    const lastSeq = Math.max(...first.map((x) => x.seq));
    const again = nudgeSchedule({ settings, channelType: 'api', status: 'assigned', event: { type: 'agent_message', at: new Date(t.getTime() + 30_000) }, lastSeq });
    const ids = [...first, ...again].map((x) => nudgeJobId('c1', x.seq));
    expect(new Set(ids).size).toBe(6);
  });
});

describe('hasNudges and nudgeJobId', () => {
  it.each(CHANNEL_TYPES.map((type) => [type, CHAT.includes(type)] as const))('%s has nudges: %s', (type, expected) => {
    expect(hasNudges(type)).toBe(expected);
  });

  it('derives the job id from the conversation and the sequence number, without a colon', () => {
    const id = nudgeJobId('0b9f6a3e-8f5e-4a53-9d55-0d7f1b1b2c3d', 7);
    expect(id).toBe('nudge.0b9f6a3e-8f5e-4a53-9d55-0d7f1b1b2c3d.7');
    expect(id).not.toContain(':');
  });
});
