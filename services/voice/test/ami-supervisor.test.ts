import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { CallEvent } from '@sapa/contracts';
import { leaseKeys } from '@sapa/queue';
import { startAmiSupervisor, type AmiSupervisor } from '../src/index.js';
import { amiFixture } from './helpers/ami-fixtures.js';
import { startFakeAmi, type FakeAmi } from './helpers/fake-ami-server.js';
import { logger, voiceHarness, voiceTenant, type VoiceHarness } from './helpers/voice-world.js';
import { waitUntil } from '@sapa/test-support';

const CLIENT = { keepaliveMs: 200, answerTimeoutMs: 1000, backoff: { minMs: 20, maxMs: 200 } };

let h: VoiceHarness;
let fake: FakeAmi | undefined;
const supervisors: AmiSupervisor[] = [];
/** This file's tenants: other test files' asterisk_ami channels share the database and are not this file's PBXs. */
const tenants: string[] = [];

beforeAll(async () => {
  h = await voiceHarness();
});
afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((s) => s.stop()));
  await fake?.close();
  fake = undefined;
});
afterAll(() => h.close());

const until = <T>(probe: () => Promise<T | false | undefined>, timeoutMs = 8000) => waitUntil(probe, timeoutMs);

async function amiChannel(port: number) {
  const made = await voiceTenant(
    h,
    { provider: 'asterisk_ami', ami: { host: '127.0.0.1', port, user: 'sapa', recordingBaseUrl: 'https://pbx.example/rec' } },
    { signingSecret: 'whsec_x', amiSecret: 'rahasia' },
  );
  tenants.push(made.tenant.id);
  return made;
}

function supervise(holder: string, maxSessions?: number): AmiSupervisor {
  const s = startAmiSupervisor({
    db: h.db,
    redis: h.redis,
    prefix: h.prefix,
    secretBox: h.secretBox,
    producer: h.producer,
    logger,
    scanMs: 100,
    leaseTtlMs: 600,
    holder,
    client: CLIENT,
    onlyTenants: () => tenants,
    ...(maxSessions !== undefined && { maxSessions }),
  });
  supervisors.push(s);
  return s;
}

/** The channel's lease key; its value is `<fencing token>:<holder>`. */
const leaseOf = (channelId: string) => leaseKeys(h.prefix, 'voice', channelId)[0];

const jobsOf = async (channelId: string) =>
  (await h.producer.queue('voice.events').getJobs(['waiting', 'delayed', 'completed', 'active']))
    .map((j) => j.data as CallEvent)
    .filter((e) => e.channelId === channelId)
    .sort((a, b) => a.at.localeCompare(b.at));

/** The AMI sessions of the voice service: one replica per channel, events onto voice.events, garbage quarantined. */
describe('the AMI supervisor', () => {
  it('reads a channel’s PBX into voice.events as call events of the tenant and channel', async () => {
    fake = await startFakeAmi({ username: 'sapa', secret: 'rahasia', sessions: [amiFixture('queue-call-answered.ami').body] });
    const { tenant, channelId } = await amiChannel(fake.port);
    supervise('replica-a');
    const jobs = await until(async () => {
      const j = await jobsOf(channelId);
      return j.length === 3 && j;
    });
    expect(jobs.map((e) => [e.event, e.agentExtension, e.source, e.tenantId])).toEqual([
      ['ringing', '201', 'ami', tenant.id],
      ['answered', '201', 'ami', tenant.id],
      ['ended', '201', 'ami', tenant.id],
    ]);
    expect(jobs[2]!.recordingUrl).toBe('https://pbx.example/rec/1772420401.1.wav');
    expect(fake.logins).toEqual([{ username: 'sapa', accepted: true }]);
  });

  it('quarantines the garbage of a stream with the channel and reason, and still delivers the call around it', async () => {
    fake = await startFakeAmi({ username: 'sapa', secret: 'rahasia', sessions: [amiFixture('garbage-between-events.ami').body] });
    const { tenant, channelId } = await amiChannel(fake.port);
    supervise('replica-a');
    await until(async () => (await jobsOf(channelId)).length === 3);
    const kept = await until(async () => {
      const rows = await h.db.selectFrom('inbound_quarantine').select(['source', 'reason', 'payload', 'tenant_id']).where('channel_id', '=', channelId).execute();
      return rows.length === 3 && rows;
    });
    expect(kept.every((r) => r.source === 'ami' && r.tenant_id === tenant.id)).toBe(true);
    expect(kept.map((r) => r.reason)).toEqual(
      expect.arrayContaining(['Hangup without Linkedid', 'a block with neither Event nor Response', expect.stringMatching(/^not a "Key: Value" line/)]),
    );
    expect(kept.some((r) => r.payload.toString('utf8').includes('it came off a broken proxy'))).toBe(true);
  });

  it('lets one replica of two hold a channel, and the other takes it over once the holder stops', async () => {
    fake = await startFakeAmi({ username: 'sapa', secret: 'rahasia', sessions: [''] });
    const { channelId } = await amiChannel(fake.port);
    const a = supervise('replica-a');
    await until(async () => a.held().includes(channelId));
    const b = supervise('replica-b');
    await b.scan();
    await b.scan();
    // This file's earlier channels are listed too, and the two replicas share them: either may hold this one, never both.
    const [holder, other] = await until(async () => {
      const holders = [a, b].filter((s) => s.held().includes(channelId));
      const lease = await h.redis.get(leaseOf(channelId));
      if (holders.length !== 1 || !lease) return undefined;
      return lease.endsWith(holders[0] === a ? ':replica-a' : ':replica-b') && (holders[0] === a ? [a, b] : [b, a]);
    });

    await holder!.stop();
    await until(async () => other!.held().includes(channelId));
    expect(await h.redis.get(leaseOf(channelId))).toMatch(other === a ? /:replica-a$/ : /:replica-b$/);
    await until(async () => fake!.logins.length >= 2);
  });

  it('reads no more channels than its maxSessions (VOICE_AMI_MAX_SESSIONS), however many are listed', async () => {
    fake = await startFakeAmi({ username: 'sapa', secret: 'rahasia', sessions: ['', ''] });
    await amiChannel(fake.port);
    await amiChannel(fake.port);
    const a = supervise('replica-a', 1);
    await until(async () => a.held().length === 1);
    await a.scan();
    await a.scan();
    expect(a.held()).toHaveLength(1);
  });

  it('stops reading a channel that is deleted', async () => {
    fake = await startFakeAmi({ username: 'sapa', secret: 'rahasia', sessions: [''] });
    const { channelId } = await amiChannel(fake.port);
    const a = supervise('replica-a');
    await until(async () => a.held().includes(channelId));
    await h.db.deleteFrom('channels').where('id', '=', channelId).execute();
    await until(async () => !a.held().includes(channelId));
    // The lease is let go just after the session is dropped.
    await until(async () => (await h.redis.get(leaseOf(channelId))) === null);
  });
});
