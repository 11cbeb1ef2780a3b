import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { OriginateRequest } from '@sapa/contracts';
import { getTenantSettings } from '@sapa/db/queries/tenant-settings';
import { createEventBus, startWorker, type Job } from '@sapa/queue';
import { createTtlCache } from '@sapa/service-kit';
import { originateActionOf, originateProcessor } from '../src/index.js';
import { startFakeAmi, type FakeAmi } from './helpers/fake-ami-server.js';
import { logger, voiceHarness, voiceTenant, type VoiceHarness } from './helpers/voice-world.js';
import { waitUntil } from '@sapa/test-support';

const CLIENT = { answerTimeoutMs: 2000, backoff: { minMs: 20, maxMs: 100 } };

let h: VoiceHarness;
let fake: FakeAmi | undefined;

beforeAll(async () => {
  h = await voiceHarness();
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});
afterAll(() => h.close());

const until = <T>(probe: () => Promise<T | false | undefined> | T | false | undefined, timeoutMs = 8000) => waitUntil(probe, timeoutMs);

/** A tenant with an asterisk_ami channel on the fake PBX, and a customer's callback task waiting on it. */
async function world(f: FakeAmi, ami: Record<string, unknown> = {}, secret = 'rahasia') {
  const made = await voiceTenant(h, { provider: 'asterisk_ami', ami: { host: '127.0.0.1', port: f.port, user: 'sapa', ...ami } }, { signingSecret: 'whsec_x', amiSecret: secret });
  const callId = `c-${randomUUID()}`;
  const number = '+6281234567890';
  await h.apply({ tenantId: made.tenant.id, channelId: made.channelId, callId, event: 'missed', caller: number, at: new Date().toISOString(), source: 'ami' });
  const call = await h.db.selectFrom('voice_calls').select('conversation_id').where('call_id', '=', callId).executeTakeFirstOrThrow();
  const request: OriginateRequest = {
    tenantId: made.tenant.id,
    channelId: made.channelId,
    conversationId: call.conversation_id!,
    agentId: made.tenant.users.agent1!.id,
    extension: '201',
    number,
    customerName: 'Siti "Ibu" Aminah',
    requestedAt: new Date().toISOString(),
  };
  return { ...made, request };
}

const processor = (now?: () => number) =>
  originateProcessor({
    db: h.db,
    bus: createEventBus(h.redis, h.prefix),
    logger,
    secretBox: h.secretBox,
    settings: createTtlCache((tenantId) => getTenantSettings(h.db, tenantId), 0),
    client: CLIENT,
    ...(now && { now }),
  });
const job = (attemptsMade = 0) => ({ id: `orig-test-${randomUUID()}`, attemptsMade, opts: { attempts: 3 } }) as unknown as Job<OriginateRequest>;
const notes = async (conversationId: string) =>
  (await h.db.selectFrom('messages').select('text').where('conversation_id', '=', conversationId).orderBy('created_at').execute()).map((m) => m.text);

/** Click-to-call (issue 8 item 3): queue `voice.originate` → an AMI Originate on the channel's PBX. */
describe('click-to-call', () => {
  it('writes the Originate of an agent calling a customer: the agent’s phone first, then the number in the dialplan', () => {
    expect(originateActionOf({ extension: '201', number: '081234567890', customerName: 'Siti <Aminah>\r\n' }, { context: 'from-internal', technology: 'PJSIP' })).toEqual({
      Action: 'Originate',
      Channel: 'PJSIP/201',
      Context: 'from-internal',
      Exten: '081234567890',
      Priority: '1',
      CallerID: '"Siti  Aminah" <081234567890>',
      Timeout: '30000',
      Async: 'true',
    });
    expect(originateActionOf({ extension: '3001', number: '+6221555123' }, { context: 'sapa-out', technology: 'SIP' })).toMatchObject({ Channel: 'SIP/3001', Context: 'sapa-out', CallerID: '<+6221555123>' });
  });

  it('takes a job off queue voice.originate and sends the PBX the Originate frame on a connection of its own, then logs off', async () => {
    fake = await startFakeAmi({ username: 'sapa', secret: 'rahasia', sessions: [''] });
    const { request } = await world(fake);
    const worker = startWorker('voice.originate', processor(), { connection: h.redis, prefix: h.prefix, logger });
    try {
      await h.producer.add('voice.originate', request);
      const originate = await until(() => fake!.actions.find((a) => a.Action === 'Originate'));
      expect(originate).toEqual({
        Action: 'Originate',
        ActionID: expect.stringMatching(/^sapa-originate-\d+$/),
        Channel: 'PJSIP/201',
        Context: 'from-internal',
        Exten: '+6281234567890',
        Priority: '1',
        CallerID: '"Siti  Ibu  Aminah" <+6281234567890>',
        Timeout: '30000',
        Async: 'true',
      });
      await until(() => fake!.actions.some((a) => a.Action === 'Logoff'));
      expect(fake.actions.map((a) => a.Action)).toEqual(['Login', 'Originate', 'Logoff']);
      expect(fake.actions[0]).toMatchObject({ Username: 'sapa', Secret: 'rahasia', Events: 'off' });
      const done = await until(async () => (await h.producer.queue('voice.originate').getJobs(['completed'])).find((j) => j.data.conversationId === request.conversationId));
      expect(done.returnvalue).toBe('originated');
    } finally {
      await worker.close();
    }
  });

  it('dials in the channel’s own context and endpoint technology', async () => {
    fake = await startFakeAmi({ username: 'sapa', secret: 'rahasia', sessions: [''] });
    const { request } = await world(fake, { originateContext: 'sapa-callback', endpointTechnology: 'SIP' });
    expect(await processor()(request, job())).toBe('originated');
    expect(fake.actions.find((a) => a.Action === 'Originate')).toMatchObject({ Channel: 'SIP/201', Context: 'sapa-callback' });
  });

  it('tells the agent in the conversation when the PBX refuses the Originate, and does not retry', async () => {
    fake = await startFakeAmi({ username: 'sapa', secret: 'rahasia', sessions: [''], originate: 'error' });
    const { request } = await world(fake);
    expect(await processor()(request, job())).toBe('refused');
    expect((await notes(request.conversationId)).at(-1)).toBe('Panggilan ke +6281234567890 tidak dapat dimulai: PBX menolak atau tidak terjangkau — telepon dari softphone');
    await until(() => h.events.some((e) => e.type === 'message.created' && (e.data as { conversation?: { id: string } }).conversation?.id === request.conversationId));
  });

  it('gives up at once on a refused AMI login, telling the agent', async () => {
    fake = await startFakeAmi({ username: 'sapa', secret: 'rahasia', sessions: [''] });
    const { request } = await world(fake, {}, 'salah');
    await expect(processor()(request, job())).rejects.toMatchObject({ name: 'UnrecoverableError', message: expect.stringMatching(/refused the AMI login/) });
    expect(fake.actions.some((a) => a.Action === 'Originate')).toBe(false);
    expect((await notes(request.conversationId)).at(-1)).toMatch(/tidak dapat dimulai/);
  });

  it('lets the queue retry a PBX it cannot reach, and tells the agent only on the last attempt', async () => {
    fake = await startFakeAmi({ username: 'sapa', secret: 'rahasia', sessions: [''] });
    const { request } = await world(fake);
    await fake.close();
    await expect(processor()(request, job(0))).rejects.toThrow(/could not be reached/);
    expect((await notes(request.conversationId)).at(-1)).not.toMatch(/tidak dapat dimulai/);
    await expect(processor()(request, job(2))).rejects.toMatchObject({ name: 'UnrecoverableError' });
    expect((await notes(request.conversationId)).at(-1)).toMatch(/tidak dapat dimulai/);
    fake = undefined;
  });

  it('drops a request asked more than a minute ago without calling the PBX', async () => {
    fake = await startFakeAmi({ username: 'sapa', secret: 'rahasia', sessions: [''] });
    const { request } = await world(fake);
    const later = () => Date.parse(request.requestedAt) + 61_000;
    expect(await processor(later)(request, job())).toBe('stale');
    expect(fake.connections).toBe(0);
  });
});
