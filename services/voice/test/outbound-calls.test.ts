import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CallEvent } from '@sapa/contracts';
import { AmiFrameReader, CallTracker } from '../src/index.js';
import { amiWire } from './helpers/ami-fixtures.js';
import { closeConversation } from '@sapa/db/queries/conversation-commands';
import { latestCallbackOf } from '@sapa/db/queries/voice-callbacks';
import type { TestTenant } from '@sapa/test-support';
import { voiceHarness, voiceTenant, type VoiceHarness } from './helpers/voice-world.js';

const T0 = Date.parse('2026-03-02T05:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

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

const newCustomer = () => `+628${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`;
const newCallId = () => `c-${randomUUID()}`;
/** A customer's call to the center. */
const inbound = (callId: string, customer: string, e: Partial<CallEvent> & Pick<CallEvent, 'event'>): CallEvent => ({
  tenantId: tenant.id,
  channelId,
  callId,
  caller: customer,
  calledNumber: '02150001234',
  at: at(0),
  source: 'webhook',
  ...e,
});
/** An agent's call to the customer: `caller` is the customer's number, `agentExtension` the extension that dialled. */
const outbound = (callId: string, customer: string, extension: string, e: Partial<CallEvent> & Pick<CallEvent, 'event'>): CallEvent => ({
  ...inbound(callId, customer, e),
  direction: 'outbound',
  agentExtension: extension,
});

const voiceLoad = async (agentId: string) =>
  (await h.db.selectFrom('agents').select('active_voice').where('user_id', '=', agentId).executeTakeFirstOrThrow()).active_voice;
const callRow = (callId: string) => h.db.selectFrom('voice_calls').selectAll().where('channel_id', '=', channelId).where('call_id', '=', callId).executeTakeFirstOrThrow();
const conversation = (id: string) => h.db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const notes = async (conversationId: string) =>
  (await h.db.selectFrom('messages').select('text').where('conversation_id', '=', conversationId).orderBy('created_at').orderBy('id').execute()).map((m) => m.text);
const task = async (conversationId: string) => latestCallbackOf(h.db, tenant.id, conversationId);
const audit = (conversationId: string) =>
  h.db.selectFrom('audit_log').select(['action', 'actor_id', 'details']).where('tenant_id', '=', tenant.id).where('target_id', '=', conversationId).execute();

/** A customer's missed call: a callback task waiting in the team's queue. Answers its conversation. */
async function missedCall(customer: string): Promise<string> {
  const callId = newCallId();
  expect(await h.apply(inbound(callId, customer, { event: 'missed', reason: 'abandoned', at: at(1) }))).toBe('callback');
  return (await callRow(callId)).conversation_id!;
}

/** apply-call-event.ts and callback-task.ts on real Postgres: calls agents place (issue 8 item 3, outbound). */
describe('an outbound call', () => {
  it('to a customer with no open conversation opens one held by the calling agent, counted against voice capacity, closed at the end', async () => {
    const customer = newCustomer();
    const callId = newCallId();
    expect(await h.apply(outbound(callId, customer, '201', { event: 'ringing', at: at(1) }))).toBe('held');
    const row = await callRow(callId);
    expect(row).toMatchObject({ direction: 'outbound', status: 'ringing', caller: customer, agent_id: agent1, agent_extension: '201', callback: false });
    const conv = await conversation(row.conversation_id!);
    expect(conv).toMatchObject({ kind: 'voice', status: 'assigned', assignee_id: agent1 });
    expect(await voiceLoad(agent1)).toBe(1);
    expect(h.events.some((e) => e.type === 'conversation.assigned' && (e.data as { id: string }).id === conv.id)).toBe(true);

    await h.apply(outbound(callId, customer, '201', { event: 'answered', at: at(8) }));
    expect(await voiceLoad(agent1)).toBe(1);
    expect(await h.apply(outbound(callId, customer, '201', { event: 'ended', at: at(98), recordingUrl: 'https://pbx.example/rec/out.wav' }))).toBe('ended');
    expect(await callRow(callId)).toMatchObject({ status: 'ended', direction: 'outbound', duration_seconds: 90, recording_url: 'https://pbx.example/rec/out.wav' });
    expect(await conversation(conv.id)).toMatchObject({ status: 'closed', close_reason: 'call_ended' });
    expect(await voiceLoad(agent1)).toBe(0);
    expect(await notes(conv.id)).toEqual([`Panggilan keluar ke ${customer}`, 'Panggilan selesai, durasi 1:30']);
    expect(await task(conv.id)).toBeUndefined();
  });

  it('answered, completes the callback task of the customer: the conversation comes from the queue, the task is done by that call, told in the conversation and the audit log', async () => {
    const customer = newCustomer();
    const convId = await missedCall(customer);
    expect(await task(convId)).toMatchObject({ status: 'open', attempts: 0, closed_at: null });

    const callId = newCallId();
    await h.apply(outbound(callId, customer, '201', { event: 'ringing', at: at(60) }));
    expect(await conversation(convId)).toMatchObject({ status: 'assigned', assignee_id: agent1 });
    expect(await voiceLoad(agent1)).toBe(1);
    expect((await task(convId))?.status).toBe('open');

    await h.apply(outbound(callId, customer, '201', { event: 'answered', at: at(65) }));
    const record = await callRow(callId);
    const done = await task(convId);
    expect(done).toMatchObject({ status: 'done', done_by_call: record.id, attempts: 0 });
    expect(done?.done_at?.toISOString()).toBe(at(65));
    expect(await audit(convId)).toEqual([
      { action: 'callback.completed', actor_id: null, details: expect.objectContaining({ callId, callRecordId: record.id, direction: 'outbound', agentId: agent1, callbackId: done!.id }) },
    ]);

    await h.apply(outbound(callId, customer, '201', { event: 'ended', at: at(125) }));
    expect(await conversation(convId)).toMatchObject({ status: 'closed', close_reason: 'call_ended' });
    expect(await voiceLoad(agent1)).toBe(0);
    expect(await notes(convId)).toEqual([
      `Panggilan masuk dari ${customer}`,
      `Panggilan tak terjawab dari ${customer} — mohon telepon balik`,
      `Panggilan keluar ke ${customer}`,
      'Telepon balik tersambung — tugas telepon balik selesai',
      'Panggilan selesai, durasi 1:00',
    ]);
    const calls = await h.db.selectFrom('voice_calls').select(['direction', 'status']).where('conversation_id', '=', convId).orderBy('created_at').execute();
    expect(calls).toEqual([{ direction: 'inbound', status: 'missed' }, { direction: 'outbound', status: 'ended' }]);
  });

  it("finds the customer however the number was written: a missed call from +62812… and the agent dialling 0812… are one contact, and the call completes the task", async () => {
    const national = `0812${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const e164 = `+62${national.slice(1)}`;
    const convId = await missedCall(e164);
    const callId = newCallId();
    await h.apply(outbound(callId, national, '201', { event: 'answered', at: at(60) }));
    expect(await callRow(callId)).toMatchObject({ caller: e164, conversation_id: convId });
    expect(await task(convId)).toMatchObject({ status: 'done' });
    await h.apply(outbound(callId, national, '201', { event: 'ended', at: at(90) }));
    expect(await voiceLoad(agent1)).toBe(0);
  });

  it('not answered, counts an attempt on the callback task, which stays open with the agent; a later answered call completes it', async () => {
    const customer = newCustomer();
    const convId = await missedCall(customer);

    const first = newCallId();
    await h.apply(outbound(first, customer, '202', { event: 'ringing', at: at(100) }));
    expect(await h.apply(outbound(first, customer, '202', { event: 'missed', at: at(130) }))).toBe('unanswered');
    expect(await callRow(first)).toMatchObject({ status: 'missed', missed_reason: 'no_answer', callback: false, direction: 'outbound' });
    let open = await task(convId);
    expect(open).toMatchObject({ status: 'open', attempts: 1 });
    expect(open?.last_attempt_at?.toISOString()).toBe(at(130));
    expect(await conversation(convId)).toMatchObject({ status: 'assigned', assignee_id: agent2, priority: 10 });
    expect(await voiceLoad(agent2)).toBe(1);

    // A busy line: the PBX says only that it is over.
    const second = newCallId();
    expect(await h.apply(outbound(second, customer, '202', { event: 'missed', reason: 'busy', at: at(400) }))).toBe('unanswered');
    open = await task(convId);
    expect(open).toMatchObject({ status: 'open', attempts: 2 });
    expect(open?.last_attempt_at?.toISOString()).toBe(at(400));
    expect(await voiceLoad(agent2)).toBe(1);

    const third = newCallId();
    await h.apply(outbound(third, customer, '202', { event: 'answered', at: at(900) }));
    expect(await task(convId)).toMatchObject({ status: 'done', attempts: 2, done_by_call: (await callRow(third)).id });
    expect((await audit(convId))[0]?.details).toMatchObject({ callId: third, attempts: 2 });
    await h.apply(outbound(third, customer, '202', { event: 'ended', at: at(960) }));
    expect(await voiceLoad(agent2)).toBe(0);
    expect((await notes(convId)).slice(2)).toEqual([
      `Panggilan keluar ke ${customer}`,
      `Telepon balik ke ${customer} tidak diangkat (percobaan ke-1) — tugas tetap terbuka`,
      `Telepon balik ke ${customer} tidak diangkat (percobaan ke-2) — tugas tetap terbuka`,
      `Panggilan keluar ke ${customer}`,
      'Telepon balik tersambung — tugas telepon balik selesai',
      'Panggilan selesai, durasi 1:00',
    ]);
  });

  it('not answered and with no callback task waiting, is kept on record: its conversation closes and frees the agent, and nobody is asked to call back', async () => {
    const customer = newCustomer();
    const callId = newCallId();
    await h.apply(outbound(callId, customer, '201', { event: 'ringing', at: at(1) }));
    expect(await voiceLoad(agent1)).toBe(1);
    expect(await h.apply(outbound(callId, customer, '201', { event: 'missed', at: at(31) }))).toBe('unanswered');
    const row = await callRow(callId);
    expect(row).toMatchObject({ status: 'missed', callback: false });
    expect(await conversation(row.conversation_id!)).toMatchObject({ status: 'closed', close_reason: 'call_unanswered', priority: 0 });
    expect(await voiceLoad(agent1)).toBe(0);
    expect(await notes(row.conversation_id!)).toEqual([`Panggilan keluar ke ${customer}`, `Panggilan keluar ke ${customer} tidak diangkat`]);
    expect(await task(row.conversation_id!)).toBeUndefined();
  });

  it('keeps the direction of its first event: a later event without one is still the outbound call', async () => {
    const customer = newCustomer();
    const callId = newCallId();
    await h.apply(outbound(callId, customer, '201', { event: 'ringing', at: at(1) }));
    expect(await h.apply(inbound(callId, customer, { event: 'missed', at: at(20) }))).toBe('unanswered');
    expect(await callRow(callId)).toMatchObject({ direction: 'outbound', callback: false });
    expect(await voiceLoad(agent1)).toBe(0);
  });

  it('reads an event without a direction as an inbound call, as before outbound calls were tracked', async () => {
    const callId = newCallId();
    await h.apply(inbound(callId, newCustomer(), { event: 'missed', at: at(3) }));
    expect(await callRow(callId)).toMatchObject({ direction: 'inbound', callback: true });
  });

  it('a customer calling back and reaching an agent completes the callback task too', async () => {
    const customer = newCustomer();
    const convId = await missedCall(customer);
    const callId = newCallId();
    await h.apply(inbound(callId, customer, { event: 'answered', agentExtension: '202', at: at(50) }));
    expect(await task(convId)).toMatchObject({ status: 'done', done_by_call: (await callRow(callId)).id });
    await h.apply(inbound(callId, customer, { event: 'ended', at: at(80) }));
    expect(await voiceLoad(agent2)).toBe(0);
  });

  it('closes the task with its conversation when an agent closes it by hand before any call reached the customer, saying when and who', async () => {
    const customer = newCustomer();
    const convId = await missedCall(customer);
    await closeConversation(h.db, tenant.id, convId, { actorId: agent1, reason: 'resolved' });
    const closed = await conversation(convId);
    expect(await task(convId)).toMatchObject({ status: 'closed', closed_by: agent1, closed_at: closed.closed_at, done_at: null, done_by_call: null });

    // A call reaching the customer afterwards is on record, but the task stays as its conversation left it.
    const callId = newCallId();
    await h.apply(outbound(callId, customer, '201', { event: 'answered', at: at(70) }));
    expect(await callRow(callId)).toMatchObject({ status: 'answered' });
    expect((await callRow(callId)).conversation_id).not.toBe(convId);
    expect(await task(convId)).toMatchObject({ status: 'closed', closed_by: agent1 });
    await h.apply(outbound(callId, customer, '201', { event: 'ended', at: at(100) }));
  });

  it('completes the task, not closes it, when the call reaching the customer is only heard of at its end (answered lost): the call ends its conversation after doing it', async () => {
    const customer = newCustomer();
    const convId = await missedCall(customer);
    const callId = newCallId();
    await h.apply(outbound(callId, customer, '201', { event: 'ringing', at: at(60) }));
    expect(await h.apply(outbound(callId, customer, '201', { event: 'ended', at: at(120) }))).toBe('ended');
    const record = await callRow(callId);
    expect(await task(convId)).toMatchObject({ status: 'done', done_by_call: record.id, closed_at: null, closed_by: null });
    expect(await conversation(convId)).toMatchObject({ status: 'closed', close_reason: 'call_ended' });
    expect(await voiceLoad(agent1)).toBe(0);
    expect((await notes(convId)).slice(2)).toEqual([`Panggilan keluar ke ${customer}`, 'Panggilan selesai, durasi -', 'Telepon balik tersambung — tugas telepon balik selesai']);
  });
});

/** What an AMI session hands queue `voice.events` for a recorded session (reader → tracker), on this tenant's channel. */
function amiEvents(fixture: string): CallEvent[] {
  const tracker = new CallTracker();
  return new AmiFrameReader().push(Buffer.from(amiWire(fixture))).flatMap((read) => {
    if (read.kind !== 'frame') return [];
    const result = tracker.track(read.frame);
    return 'events' in result ? result.events.map((e) => ({ ...e, tenantId: tenant.id, channelId, source: 'ami' as const })) : [];
  });
}

describe('an outbound call read off AMI', () => {
  it('agent 201 calling a customer back from the softphone completes the waiting callback task (recorded session)', async () => {
    const convId = await missedCall('081234567890');
    for (const e of amiEvents('outbound-call-answered.ami')) await h.apply(e);
    const record = await callRow('1772421000.40');
    expect(record).toMatchObject({ direction: 'outbound', status: 'ended', conversation_id: convId, agent_id: agent1, duration_seconds: 92 });
    expect(await task(convId)).toMatchObject({ status: 'done', done_by_call: record.id });
    expect(await conversation(convId)).toMatchObject({ status: 'closed', close_reason: 'call_ended' });
    expect(await voiceLoad(agent1)).toBe(0);
  });

  it('a click-to-call the customer does not answer counts an attempt (recorded session)', async () => {
    const convId = await missedCall('+6281298765432');
    for (const e of amiEvents('outbound-originate-no-answer.ami')) await h.apply(e);
    expect(await task(convId)).toMatchObject({ status: 'open', attempts: 1 });
    expect(await conversation(convId)).toMatchObject({ status: 'assigned', assignee_id: agent2 });
    expect(await voiceLoad(agent2)).toBe(1);
  });
});
