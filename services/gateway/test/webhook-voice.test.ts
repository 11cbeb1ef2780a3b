import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CallEvent } from '@sapa/contracts';
import type { DB, Kysely } from '@sapa/db';
import { QUEUES, type Redis } from '@sapa/queue';
import { createApiChannel } from '@sapa/test-support';
import { insertChannel } from './helpers/channel-rows.js';
import { expectRefusedQueuingNothing } from './helpers/expect-refused.js';
import { queuedJobs } from './helpers/queued-jobs.js';
import { sapaSignedHeaders } from './helpers/signed-requests.js';
import { gatewayPerTest } from './helpers/test-gateway.js';
import { closeTestStores, openTestStores } from './helpers/test-stores.js';

const NOW = new Date('2030-01-02T03:04:05.000Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);

let db: Kysely<DB>;
let redis: Redis;
let tenantId: string;
let voice: { id: string; secret: string };
let apiChannel: { id: string; secret: string };

/** A voice channel as the inbox API makes one: the signing secret sealed. */
async function createVoiceChannel(): Promise<{ id: string; secret: string }> {
  const secret = `whsec_${randomUUID().replaceAll('-', '')}`;
  const id = await insertChannel(db, tenantId, { type: 'voice', name: 'PBX', config: { provider: 'webhook' }, secrets: { signingSecret: secret } });
  return { id, secret };
}

beforeAll(async () => {
  const stores = await openTestStores({});
  ({ db, redis } = stores);
  tenantId = stores.tenant.id;
  voice = await createVoiceChannel();
  apiChannel = await createApiChannel(db, tenantId);
});

afterAll(() => closeTestStores({ db, redis }));

const gateway = gatewayPerTest(() => ({ db, redis }), { now: () => NOW }, 'voice.events', 'inbound');

const call = (overrides: Record<string, unknown> = {}) => ({ callId: `c-${randomUUID()}`, event: 'ringing', caller: '+6281234567890', calledNumber: '02150001234', agentExtension: '201', ...overrides });

const signedHeaders = (raw: string, secret = voice.secret, timestamp = NOW_S) => sapaSignedHeaders(raw, secret, timestamp);

function post(raw: string, headers: Record<string, string> = signedHeaders(raw), channelId = voice.id) {
  return gateway.app.inject({ method: 'POST', url: `/webhooks/voice/${channelId}`, headers, payload: raw });
}

const callJobs = () => queuedJobs<CallEvent>(gateway.scope.producer, 'voice.events');

/** issue 8 item 3: the signed call-event webhook of voice channels. */
describe('POST /webhooks/voice/:channelId', () => {
  it('accepts a signed call event with 202 once queue voice.events holds it, and nothing goes to inbound', async () => {
    const sent = call({ callId: 'pbx-1', event: 'ended', recordingUrl: 'https://pbx.example/rec/pbx-1.wav', callerName: 'Siti', timestamp: NOW_S - 7 });
    const res = await post(JSON.stringify(sent));

    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ status: 'accepted' });
    const expected: CallEvent = {
      tenantId,
      channelId: voice.id,
      callId: 'pbx-1',
      event: 'ended',
      caller: '+6281234567890',
      callerName: 'Siti',
      calledNumber: '02150001234',
      agentExtension: '201',
      recordingUrl: 'https://pbx.example/rec/pbx-1.wav',
      at: new Date((NOW_S - 7) * 1000).toISOString(),
      source: 'webhook',
    };
    expect(await callJobs()).toEqual([{ id: QUEUES['voice.events'].jobId(expected), data: expected }]);
    expect((await gateway.scope.producer.queue('inbound').getJobCounts('waiting')).waiting).toBe(0);
  });

  it('dates an event without a timestamp by its arrival, and takes an ISO timestamp', async () => {
    expect((await post(JSON.stringify(call({ callId: 'no-ts' })))).statusCode).toBe(202);
    expect((await post(JSON.stringify(call({ callId: 'iso-ts', timestamp: '2030-01-02T10:00:00+07:00' })))).statusCode).toBe(202);
    const byCall = new Map((await callJobs()).map((j) => [j.data.callId, j.data.at]));
    expect(byCall.get('no-ts')).toBe(NOW.toISOString());
    expect(byCall.get('iso-ts')).toBe('2030-01-02T03:00:00.000Z');
  });

  it('answers 200 duplicate for the same event of the same call again, and enqueues nothing new', async () => {
    const raw = JSON.stringify(call({ callId: 'dup-1', event: 'answered' }));
    expect((await post(raw)).statusCode).toBe(202);
    const again = await post(raw);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ status: 'duplicate' });
    expect(await callJobs()).toHaveLength(1);
  });

  it('takes an outbound call (an agent dialling the customer): direction goes along, caller is the number dialled', async () => {
    const sent = call({ callId: 'out-1', direction: 'outbound', caller: '081234567890', agentExtension: '201', timestamp: NOW_S - 3 });
    delete (sent as Record<string, unknown>).calledNumber;
    expect((await post(JSON.stringify(sent))).statusCode).toBe(202);
    const expected: CallEvent = {
      tenantId,
      channelId: voice.id,
      callId: 'out-1',
      event: 'ringing',
      direction: 'outbound',
      caller: '081234567890',
      agentExtension: '201',
      at: new Date((NOW_S - 3) * 1000).toISOString(),
      source: 'webhook',
    };
    expect(await callJobs()).toEqual([{ id: QUEUES['voice.events'].jobId(expected), data: expected }]);
  });

  it('keeps a payload without a direction as it was (the voice service reads it as inbound), and takes an explicit inbound', async () => {
    expect((await post(JSON.stringify(call({ callId: 'old-1' }))))).toMatchObject({ statusCode: 202 });
    expect((await post(JSON.stringify(call({ callId: 'in-1', direction: 'inbound' }))))).toMatchObject({ statusCode: 202 });
    const byCall = new Map((await callJobs()).map((j) => [j.data.callId, j.data]));
    expect(byCall.get('old-1')).not.toHaveProperty('direction');
    expect(byCall.get('in-1')?.direction).toBe('inbound');
  });

  it('takes each event of one call, and the same event at another extension (a queue ringing its agents in turn)', async () => {
    for (const e of [{ event: 'ringing' }, { event: 'ringing', agentExtension: '202' }, { event: 'answered', agentExtension: '202' }, { event: 'ended', agentExtension: '202' }]) {
      expect((await post(JSON.stringify(call({ callId: 'walk-1', ...e })))).statusCode).toBe(202);
    }
    expect((await callJobs()).map((j) => `${j.data.event}@${j.data.agentExtension}`).sort()).toEqual(['answered@202', 'ended@202', 'ringing@201', 'ringing@202']);
  });

  it.each([
    ['callId is missing', () => JSON.stringify({ event: 'ringing', caller: '+6281234567890' }), 'validation_failed'],
    ['the event is unknown', () => JSON.stringify(call({ event: 'hold' })), 'validation_failed'],
    ['the caller is no phone number', () => JSON.stringify(call({ caller: 'budi' })), 'validation_failed'],
    ['the caller is missing', () => JSON.stringify({ callId: 'x', event: 'ringing' }), 'validation_failed'],
    ['the extension is not digits', () => JSON.stringify(call({ agentExtension: 'PJSIP/201' })), 'validation_failed'],
    ['the recording URL is no URL', () => JSON.stringify(call({ event: 'ended', recordingUrl: 'rec.wav' })), 'validation_failed'],
    ['the missed reason is unknown', () => JSON.stringify(call({ event: 'missed', reason: 'bored' })), 'validation_failed'],
    ['the direction is unknown', () => JSON.stringify(call({ direction: 'sideways' })), 'validation_failed'],
    ['an outbound call names no customer number', () => JSON.stringify(call({ direction: 'outbound', caller: 'anonymous' })), 'validation_failed'],
    ['a field is unknown', () => JSON.stringify(call({ duration: 12 })), 'validation_failed'],
    ['the timestamp is not a date', () => JSON.stringify(call({ timestamp: 'yesterday' })), 'validation_failed'],
    ['the body is not JSON', () => '{"callId": ', 'invalid_json'],
    ['the body is empty', () => '', 'invalid_json'],
  ])('refuses with 400 when %s, and enqueues nothing', async (_case, make, code) => {
    const res = await post(make());
    await expectRefusedQueuingNothing(res, 400, code, callJobs);
  });

  const raw = JSON.stringify(call({ callId: 'sig-1' }));
  it.each([
    ['it is not signed', () => ({ 'content-type': 'application/json' }), 'missing_signature'],
    ['the signature is wrong', () => ({ ...signedHeaders(raw), 'x-sapa-signature': `sha256=${'0'.repeat(64)}` }), 'invalid_signature'],
    ['it was signed with another channel’s secret', () => signedHeaders(raw, apiChannel.secret), 'invalid_signature'],
    ['it was signed over another body', () => signedHeaders(raw.replace('sig-1', 'sig-2')), 'invalid_signature'],
    ['it was signed 301 s ago', () => signedHeaders(raw, voice.secret, NOW_S - 301), 'stale_timestamp'],
  ])('refuses with 401 when %s, and enqueues nothing', async (_case, headers, code) => {
    const res = await post(raw, headers());
    await expectRefusedQueuingNothing(res, 401, code, callJobs);
  });

  it.each([
    ['no channel has the id', () => randomUUID()],
    ['the id is not a uuid', () => 'pbx'],
    ['the channel is not a voice channel', () => apiChannel.id],
  ])('answers 404 channel_not_found when %s, and enqueues nothing', async (_case, channelId) => {
    const res = await post(raw, signedHeaders(raw), channelId());
    await expectRefusedQueuingNothing(res, 404, 'channel_not_found', callJobs);
  });
});
