import { afterEach, describe, expect, it } from '@jest/globals';
import { createLogger } from '@sapa/service-kit';
import { createAmiClient, type AmiClient, type AmiFrame, type AmiState } from '../src/index.js';
import { amiFixture } from './helpers/ami-fixtures.js';
import { startFakeAmi, type FakeAmi } from './helpers/fake-ami-server.js';
import { waitUntil } from '@sapa/test-support';

const logger = createLogger({ service: 'voice-test', level: 'silent', pretty: false });
const FAST = { keepaliveMs: 100, answerTimeoutMs: 300, backoff: { minMs: 20, maxMs: 100 } };

let fake: FakeAmi | undefined;
let client: AmiClient | undefined;

afterEach(async () => {
  await client?.stop();
  await fake?.close();
  client = fake = undefined;
});

const until = <T>(probe: () => T | false | undefined, timeoutMs = 5000) => waitUntil(probe, timeoutMs);

function connect(f: FakeAmi, secret = 'rahasia') {
  const events: AmiFrame[] = [];
  const malformed: string[] = [];
  const states: AmiState[] = [];
  client = createAmiClient({
    host: '127.0.0.1',
    port: f.port,
    username: 'sapa',
    secret,
    logger,
    ...FAST,
    onEvent: (frame) => events.push(frame),
    onMalformed: (_raw, reason) => malformed.push(reason),
    onState: (state) => states.push(state),
  });
  client.start();
  return { events, malformed, states };
}

/** ami-client.ts against a local TCP server replaying recorded Asterisk sessions (issue 8 item 3). */
describe('the AMI client', () => {
  it('logs in with an ActionID of its own and hands over the event stream in order', async () => {
    fake = await startFakeAmi({ username: 'sapa', secret: 'rahasia', sessions: [amiFixture('queue-call-answered.ami').body] });
    const seen = connect(fake);
    await until(() => seen.events.length === 15);
    expect(fake.actions[0]).toMatchObject({ Action: 'Login', Username: 'sapa', Secret: 'rahasia', Events: 'on', ActionID: expect.stringMatching(/^sapa-login-\d+$/) });
    expect(seen.events.map((e) => e.Event).slice(0, 3)).toEqual(['FullyBooted', 'Newchannel', 'Newexten']);
    expect(seen.states).toEqual(['connecting', 'logged_in']);
    expect(seen.malformed).toEqual([]);
  });

  it('keeps the connection alive with Action: Ping', async () => {
    fake = await startFakeAmi({ username: 'sapa', secret: 'rahasia', sessions: [''] });
    const seen = connect(fake);
    await until(() => fake!.actions.filter((a) => a.Action === 'Ping').length >= 3);
    expect(fake.connections).toBe(1);
    expect(seen.states).toEqual(['connecting', 'logged_in']);
  });

  it('reports a refused login and tries again with backoff until the PBX lets it in', async () => {
    fake = await startFakeAmi({ username: 'sapa', secret: 'rahasia', sessions: [amiFixture('queue-call-abandoned.ami').body], refuseFirstLogins: 2 });
    const seen = connect(fake);
    await until(() => seen.events.length === 6);
    expect(fake.logins.map((l) => l.accepted)).toEqual([false, false, true]);
    expect(seen.states.filter((s) => s === 'login_refused')).toHaveLength(2);
    expect(seen.states.at(-1)).toBe('logged_in');
  });

  it('keeps trying with a wrong secret and delivers nothing', async () => {
    fake = await startFakeAmi({ username: 'sapa', secret: 'rahasia', sessions: [amiFixture('queue-call-abandoned.ami').body] });
    const seen = connect(fake, 'salah');
    await until(() => fake!.logins.length >= 3);
    expect(fake.logins.every((l) => !l.accepted)).toBe(true);
    expect(seen.events).toEqual([]);
  });

  it('reconnects after the PBX drops the link and reads the next session', async () => {
    fake = await startFakeAmi({
      username: 'sapa',
      secret: 'rahasia',
      sessions: [amiFixture('queue-call-abandoned.ami').body, amiFixture('direct-call-busy-and-outbound.ami').body],
      dropAfterSession: true,
    });
    const seen = connect(fake);
    await until(() => seen.events.some((e) => e.Linkedid === '1772420800.30' && e.Event === 'Hangup'));
    expect(fake.connections).toBeGreaterThanOrEqual(2);
    expect(seen.states.slice(0, 4)).toEqual(['connecting', 'logged_in', 'disconnected', 'connecting']);
    expect(seen.events.filter((e) => e.Event === 'QueueCallerAbandon')).not.toHaveLength(0);
  });

  it('drops and reconnects a connection whose Ping goes unanswered (a PBX gone silent)', async () => {
    fake = await startFakeAmi({ username: 'sapa', secret: 'rahasia', sessions: [''], answerPings: false });
    const seen = connect(fake);
    await until(() => fake!.connections >= 2);
    expect(seen.states).toContain('disconnected');
  });

  it('hands garbage to onMalformed and goes on reading the same connection', async () => {
    fake = await startFakeAmi({ username: 'sapa', secret: 'rahasia', sessions: [amiFixture('garbage-between-events.ami').body] });
    const seen = connect(fake);
    await until(() => seen.events.filter((e) => e.Event === 'Hangup').length === 2);
    expect(seen.malformed).toEqual([expect.stringMatching(/not a "Key: Value" line/), 'a block with neither Event nor Response']);
    expect(fake.connections).toBe(1);
  });

  it('sends an action of the caller’s with an ActionID of its own and answers the PBX’s Response, once logged in', async () => {
    fake = await startFakeAmi({ username: 'sapa', secret: 'rahasia', sessions: [amiFixture('queue-call-answered.ami').body], originate: 'error' });
    const seen = connect(fake);
    await expect(client!.action({ Action: 'Originate', Channel: 'PJSIP/201' })).rejects.toThrow(/not logged in/);
    await until(() => seen.states.includes('logged_in'));
    const answer = await client!.action({ Action: 'Originate', Channel: 'PJSIP/201', Exten: '081234567890' });
    expect(answer).toMatchObject({ Response: 'Error', Message: 'Originate failed', ActionID: expect.stringMatching(/^sapa-originate-\d+$/) });
    expect(fake.actions.find((a) => a.Action === 'Originate')).toMatchObject({ Channel: 'PJSIP/201', Exten: '081234567890', ActionID: answer.ActionID });
    await expect(client!.action({ Action: 'Originate', Exten: '0812\r\nAction: Logoff' })).rejects.toThrow(/line break/);
    await until(() => seen.events.length === 15);
  });

  it('logs off on stop and does not reconnect', async () => {
    fake = await startFakeAmi({ username: 'sapa', secret: 'rahasia', sessions: [''] });
    const seen = connect(fake);
    await until(() => seen.states.includes('logged_in'));
    await client!.stop();
    expect(fake.actions.at(-1)).toMatchObject({ Action: 'Logoff' });
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.connections).toBe(1);
    expect(seen.states.at(-1)).toBe('stopped');
  });
});
