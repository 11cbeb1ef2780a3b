import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CallEvent } from '@sapa/contracts';
import type { TestTenant } from '@sapa/test-support';
import { voiceHarness, voiceTenant, type VoiceHarness } from './helpers/voice-world.js';

const T0 = Date.parse('2026-03-02T03:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const REC = 'https://pbx.example/rec/one.wav';

let h: VoiceHarness;
let tenant: TestTenant;
let channelId: string;
let agent1: string;
let agent2: string;

beforeAll(async () => {
  h = await voiceHarness();
  ({ tenant, channelId } = await voiceTenant(h));
  agent1 = tenant.users.agent1!.id;
  agent2 = tenant.users.agent2!.id;
});
afterAll(() => h.close());

/** A fresh caller per test, so each test's conversation is its own. */
const newCaller = () => `+628${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`;
function event(callId: string, caller: string, e: Partial<CallEvent> & Pick<CallEvent, 'event'>): CallEvent {
  return { tenantId: tenant.id, channelId, callId, caller, calledNumber: '02150001234', at: at(0), source: 'webhook', ...e };
}

const voiceLoad = async (agentId: string) =>
  (await h.db.selectFrom('agents').select('active_voice').where('user_id', '=', agentId).executeTakeFirstOrThrow()).active_voice;
const callRow = (callId: string) => h.db.selectFrom('voice_calls').selectAll().where('channel_id', '=', channelId).where('call_id', '=', callId).executeTakeFirstOrThrow();
const conversation = (id: string) => h.db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const notes = async (conversationId: string) =>
  (await h.db.selectFrom('messages').select(['text', 'author_type']).where('conversation_id', '=', conversationId).orderBy('created_at').execute()).map((m) => `${m.author_type}: ${m.text}`);
const drainJobs = async () => (await h.producer.queue('routing').getJobs(['waiting', 'delayed', 'completed'])).map((j) => j.data as { tenantId: string; teamIds: string[] });

/** apply-call-event.ts on real Postgres: a call walks the handling model (issue 8 item 3). */
describe('a call event', () => {
  it('ringing at 201 gives agent 1 the conversation and a unit of voice capacity; answered keeps it; ended closes it and frees it', async () => {
    const caller = newCaller();
    const callId = `c-${randomUUID()}`;
    expect(await h.apply(event(callId, caller, { event: 'ringing', agentExtension: '201', at: at(1), callerName: 'Siti' }))).toBe('held');
    const ringing = await callRow(callId);
    const conv = await conversation(ringing.conversation_id!);
    expect(conv).toMatchObject({ kind: 'voice', status: 'assigned', assignee_id: agent1, channel_id: channelId, team_id: tenant.teamId });
    expect(await voiceLoad(agent1)).toBe(1);
    expect(ringing).toMatchObject({ status: 'ringing', agent_id: agent1, agent_extension: '201', caller, caller_name: 'Siti', called_number: '02150001234' });
    expect(h.events.some((e) => e.type === 'conversation.assigned' && (e.data as { id: string }).id === conv.id && e.audience.userIds.includes(agent1))).toBe(true);

    expect(await h.apply(event(callId, caller, { event: 'answered', agentExtension: '201', at: at(4) }))).toBe('held');
    expect(await voiceLoad(agent1)).toBe(1);

    expect(await h.apply(event(callId, caller, { event: 'ended', agentExtension: '201', at: at(129), recordingUrl: REC }))).toBe('ended');
    const ended = await callRow(callId);
    expect(ended).toMatchObject({ status: 'ended', duration_seconds: 125, recording_url: REC, conversation_id: conv.id, callback: false });
    expect(ended.ringing_at?.toISOString()).toBe(at(1));
    expect(ended.answered_at?.toISOString()).toBe(at(4));
    expect(ended.ended_at?.toISOString()).toBe(at(129));
    expect(await conversation(conv.id)).toMatchObject({ status: 'closed', close_reason: 'call_ended', assignee_id: agent1, phase: 'greeting' });
    expect(await voiceLoad(agent1)).toBe(0);
    expect(await notes(conv.id)).toEqual([`system: Panggilan masuk dari ${caller}`, 'system: Panggilan selesai, durasi 2:05']);
    const history = await h.db.selectFrom('assignments').select(['action', 'reason']).where('conversation_id', '=', conv.id).orderBy('created_at').execute();
    expect(history).toEqual([{ action: 'assigned', reason: 'call' }, { action: 'closed', reason: 'call_ended' }]);
  });

  it('changes nothing when the same event of the same call comes twice', async () => {
    const caller = newCaller();
    const callId = `c-${randomUUID()}`;
    const ringing = event(callId, caller, { event: 'ringing', agentExtension: '201', at: at(1) });
    await h.apply(ringing);
    expect(await h.apply(ringing)).toBe('duplicate');
    expect(await h.apply({ ...ringing, source: 'ami', at: at(2) })).toBe('duplicate');
    expect(await voiceLoad(agent1)).toBe(1);
    const ended = event(callId, caller, { event: 'ended', at: at(30) });
    await h.apply(ended);
    expect(await h.apply(ended)).toBe('duplicate');
    expect(await voiceLoad(agent1)).toBe(0);
    expect(await h.db.selectFrom('voice_call_events').select('outcome').where('call_id', '=', callId).orderBy('applied_at').execute()).toEqual([{ outcome: 'held' }, { outcome: 'ended' }]);
  });

  it('records a call whose events arrive backwards: ended first opens and closes its conversation, the rest fill in times', async () => {
    const caller = newCaller();
    const callId = `c-${randomUUID()}`;
    await h.apply(event(callId, caller, { event: 'ended', agentExtension: '202', at: at(70), recordingUrl: REC }));
    expect(await h.apply(event(callId, caller, { event: 'answered', agentExtension: '202', at: at(10) }))).toBe('late');
    expect(await h.apply(event(callId, caller, { event: 'ringing', agentExtension: '202', at: at(5) }))).toBe('late');
    const row = await callRow(callId);
    expect(row).toMatchObject({ status: 'ended', duration_seconds: 60, agent_id: agent2, recording_url: REC });
    expect(await conversation(row.conversation_id!)).toMatchObject({ status: 'closed', close_reason: 'call_ended', assignee_id: agent2 });
    expect(await voiceLoad(agent2)).toBe(0);
  });

  it('moves the call when the queue rings another extension, and to whoever answers', async () => {
    const caller = newCaller();
    const callId = `c-${randomUUID()}`;
    await h.apply(event(callId, caller, { event: 'ringing', agentExtension: '201', at: at(1) }));
    await h.apply(event(callId, caller, { event: 'ringing', agentExtension: '202', at: at(16) }));
    expect([await voiceLoad(agent1), await voiceLoad(agent2)]).toEqual([0, 1]);
    await h.apply(event(callId, caller, { event: 'answered', agentExtension: '201', at: at(20) }));
    expect([await voiceLoad(agent1), await voiceLoad(agent2)]).toEqual([1, 0]);
    const conv = await conversation((await callRow(callId)).conversation_id!);
    expect(conv.assignee_id).toBe(agent1);
    await h.apply(event(callId, caller, { event: 'ended', at: at(80) }));
    expect([await voiceLoad(agent1), await voiceLoad(agent2)]).toEqual([0, 0]);
  });

  it('a call missed while ringing frees the agent and waits in the team queue as a callback task, and asks for a drain', async () => {
    const caller = newCaller();
    const callId = `c-${randomUUID()}`;
    await h.apply(event(callId, caller, { event: 'ringing', agentExtension: '201', at: at(1) }));
    expect(await h.apply(event(callId, caller, { event: 'missed', at: at(31) }))).toBe('callback');
    const row = await callRow(callId);
    expect(row).toMatchObject({ status: 'missed', callback: true, missed_reason: 'no_answer', duration_seconds: null });
    const conv = await conversation(row.conversation_id!);
    expect(conv).toMatchObject({ status: 'queued', assignee_id: null, priority: 10, team_id: tenant.teamId, kind: 'voice' });
    expect(await voiceLoad(agent1)).toBe(0);
    expect((await notes(conv.id)).at(-1)).toBe(`system: Panggilan tak terjawab dari ${caller} — mohon telepon balik`);
    expect((await drainJobs()).some((d) => d.tenantId === tenant.id && d.teamIds.includes(tenant.teamId))).toBe(true);

    // The customer rings again before anyone called back: the new call joins the callback task, answered by agent 2.
    const again = `c-${randomUUID()}`;
    await h.apply(event(again, caller, { event: 'answered', agentExtension: '202', at: at(300) }));
    expect(await conversation(conv.id)).toMatchObject({ status: 'assigned', assignee_id: agent2 });
    await h.apply(event(again, caller, { event: 'ended', at: at(360) }));
    expect(await conversation(conv.id)).toMatchObject({ status: 'closed', close_reason: 'call_ended' });
    expect(await voiceLoad(agent2)).toBe(0);
    const calls = await h.db.selectFrom('voice_calls').select(['call_id', 'status']).where('conversation_id', '=', conv.id).orderBy('created_at').execute();
    expect(calls).toEqual([{ call_id: callId, status: 'missed' }, { call_id: again, status: 'ended' }]);
  });

  it('an abandoned call that never rang anyone becomes a new callback task', async () => {
    const caller = newCaller();
    const callId = `c-${randomUUID()}`;
    await h.apply(event(callId, caller, { event: 'missed', reason: 'abandoned', at: at(40) }));
    const row = await callRow(callId);
    expect(row).toMatchObject({ status: 'missed', missed_reason: 'abandoned', callback: true, agent_id: null });
    expect(await conversation(row.conversation_id!)).toMatchObject({ status: 'queued', priority: 10 });
  });

  it('a missed call from a withheld number is kept on record and asks nobody to call back', async () => {
    const callId = `c-${randomUUID()}`;
    await h.apply(event(callId, 'anonymous', { event: 'ringing', agentExtension: '201', at: at(1) }));
    expect(await h.apply(event(callId, 'anonymous', { event: 'missed', at: at(20) }))).toBe('missed_unreachable');
    const row = await callRow(callId);
    expect(row).toMatchObject({ status: 'missed', callback: false });
    expect(await conversation(row.conversation_id!)).toMatchObject({ status: 'closed', close_reason: 'missed_call' });
    expect(await voiceLoad(agent1)).toBe(0);
  });

  it('a call at an extension no agent has is recorded, and its conversation opens and closes when it ends', async () => {
    const caller = newCaller();
    const callId = `c-${randomUUID()}`;
    expect(await h.apply(event(callId, caller, { event: 'answered', agentExtension: '299', at: at(1) }))).toBe('unknown_extension');
    expect(await callRow(callId)).toMatchObject({ status: 'answered', conversation_id: null, agent_id: null, agent_extension: '299' });
    await h.apply(event(callId, caller, { event: 'ended', at: at(61) }));
    const row = await callRow(callId);
    expect(await conversation(row.conversation_id!)).toMatchObject({ status: 'closed', assignee_id: null, close_reason: 'call_ended' });
  });

  it('counts a call the PBX puts through to an agent already on a call: the phone rings whatever the capacity', async () => {
    const first = `c-${randomUUID()}`;
    const second = `c-${randomUUID()}`;
    await h.apply(event(first, newCaller(), { event: 'answered', agentExtension: '202', at: at(1) }));
    await h.apply(event(second, newCaller(), { event: 'ringing', agentExtension: '202', at: at(2) }));
    expect(await voiceLoad(agent2)).toBe(2);
    await h.apply(event(first, (await callRow(first)).caller, { event: 'ended', at: at(10) }));
    await h.apply(event(second, (await callRow(second)).caller, { event: 'missed', at: at(12) }));
    expect(await voiceLoad(agent2)).toBe(0);
  });

  it('skips an event of a channel that is gone or not a voice channel', async () => {
    expect(await h.apply({ ...event(`c-${randomUUID()}`, newCaller(), { event: 'ringing', agentExtension: '201' }), channelId: randomUUID() })).toBe('channel_gone');
  });
});
