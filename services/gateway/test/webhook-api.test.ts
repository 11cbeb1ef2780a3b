import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signPayload, type InboundMessage } from '@sapa/contracts';
import type { DB, Kysely } from '@sapa/db';
import { QUEUES, type Producer, type Redis } from '@sapa/queue';
import { createMetrics } from '@sapa/service-kit';
import { createApiChannel } from '@sapa/test-support';
import { buildGatewayApp, seenKey } from '../src/index.js';
import { insertChannel } from './helpers/channel-rows.js';
import { expectRefusedQueuingNothing } from './helpers/expect-refused.js';
import { queuedJobs } from './helpers/queued-jobs.js';
import { sapaSignedHeaders } from './helpers/signed-requests.js';
import { gatewayPerTest } from './helpers/test-gateway.js';
import { closeTestStores, openTestStores, silentLogger, testSecretBox } from './helpers/test-stores.js';

const NOW = new Date('2030-01-02T03:04:05.000Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);

let db: Kysely<DB>;
let redis: Redis;
let tenantId: string;
let channel: { id: string; secret: string };
let otherChannel: { id: string; secret: string };
let telegramChannelId: string;

beforeAll(async () => {
  const stores = await openTestStores({});
  ({ db, redis } = stores);
  tenantId = stores.tenant.id;
  channel = await createApiChannel(db, tenantId);
  otherChannel = await createApiChannel(db, tenantId);
  telegramChannelId = await insertChannel(db, tenantId, { type: 'telegram', name: 'Bot' });
});

afterAll(() => closeTestStores({ db, redis }));

// Each test gets its own queue prefix, so "the inbound queue holds exactly N jobs" is about that test alone.
const gateway = gatewayPerTest(() => ({ db, redis }), { now: () => NOW }, 'inbound');

function body(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { messageId: `m-${randomUUID()}`, from: { id: 'cust-1', name: 'Siti', phone: '+628123456789' }, text: 'Halo', ...overrides };
}

const signedHeaders = (raw: string, secret = channel.secret, timestamp = NOW_S) => sapaSignedHeaders(raw, secret, timestamp);

function post(raw: string, headers: Record<string, string> = signedHeaders(raw), channelId = channel.id) {
  return gateway.app.inject({ method: 'POST', url: `/webhooks/api/${channelId}`, headers, payload: raw });
}

const inboundJobs = () => queuedJobs<InboundMessage>(gateway.scope.producer, 'inbound');

describe('POST /webhooks/api/:channelId', () => {
  it('accepts a signed message with 202 once the inbound queue holds it, normalised, under the id derived from channel and messageId', async () => {
    const sent = body({ messageId: 'wa-001', from: { id: 'cust-9', name: 'Siti', phone: '+62811', email: 's@example.com' }, timestamp: NOW_S - 5 });
    const raw = JSON.stringify(sent);

    const res = await post(raw);

    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ status: 'accepted' });
    const expected: InboundMessage = {
      tenantId,
      channelId: channel.id,
      channelType: 'api',
      externalMessageId: 'wa-001',
      from: { externalId: 'cust-9', name: 'Siti', phone: '+62811', email: 's@example.com' },
      text: 'Halo',
      attachments: [],
      sentAt: new Date((NOW_S - 5) * 1000).toISOString(),
      receivedAt: NOW.toISOString(),
    };
    expect(await inboundJobs()).toEqual([{ id: QUEUES.inbound.jobId(expected), data: expected }]);
    expect(await redis.get(seenKey(gateway.scope.prefix, channel.id, 'wa-001'))).toBe('done');
    expect(await redis.ttl(seenKey(gateway.scope.prefix, channel.id, 'wa-001'))).toBeGreaterThan(6 * 24 * 3600);
  });

  it('accepts attachments without text and an ISO timestamp', async () => {
    const attachments = [{ url: 'https://cdn.example.com/ktp.jpg', contentType: 'image/jpeg', filename: 'ktp.jpg' }];
    const raw = JSON.stringify(body({ text: undefined, attachments, timestamp: '2030-01-02T10:00:00+07:00' }));

    const res = await post(raw);

    expect(res.statusCode).toBe(202);
    const [job] = await inboundJobs();
    expect(job?.data.attachments).toEqual(attachments);
    expect(job?.data.text).toBeUndefined();
    expect(job?.data.sentAt).toBe('2030-01-02T03:00:00.000Z');
  });

  it('answers 200 duplicate for the same messageId again and enqueues nothing new', async () => {
    const first = JSON.stringify(body({ messageId: 'dup-1' }));
    const again = JSON.stringify(body({ messageId: 'dup-1', text: 'Halo lagi' }));

    expect((await post(first)).statusCode).toBe(202);
    const res = await post(again);

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'duplicate' });
    expect(await inboundJobs()).toHaveLength(1);
  });

  it('treats the same messageId on another channel as a different message', async () => {
    const raw = JSON.stringify(body({ messageId: 'shared-id' }));
    expect((await post(raw)).statusCode).toBe(202);
    expect((await post(raw, signedHeaders(raw, otherChannel.secret), otherChannel.id)).statusCode).toBe(202);
    expect(await inboundJobs()).toHaveLength(2);
  });

  it('answers 409 duplicate_in_flight with Retry-After while another request with the same messageId is being accepted', async () => {
    await redis.set(seenKey(gateway.scope.prefix, channel.id, 'busy-1'), 'pending', 'EX', 30);
    const raw = JSON.stringify(body({ messageId: 'busy-1' }));

    const res = await post(raw);

    expect(res.statusCode).toBe(409);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json().error.code).toBe('duplicate_in_flight');
    expect(await inboundJobs()).toHaveLength(0);
  });

  it('answers 503 queue_unavailable when the job cannot be added, and frees the messageId for the retry', async () => {
    const failing: Producer = { ...gateway.scope.producer, add: () => Promise.reject(new Error('redis down')) };
    const broken = await buildGatewayApp({ db, redis, prefix: gateway.scope.prefix, secretBox: testSecretBox, logger: silentLogger, metrics: createMetrics('gateway'), producer: failing, now: () => NOW });
    const raw = JSON.stringify(body({ messageId: 'retry-me' }));
    try {
      const res = await broken.inject({ method: 'POST', url: `/webhooks/api/${channel.id}`, headers: signedHeaders(raw), payload: raw });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('queue_unavailable');
      expect(await redis.exists(seenKey(gateway.scope.prefix, channel.id, 'retry-me'))).toBe(0);
    } finally {
      await broken.close();
    }
    expect((await post(raw)).statusCode).toBe(202);
    expect(await inboundJobs()).toHaveLength(1);
  });

  it.each([
    ['messageId is missing', () => JSON.stringify({ from: { id: 'c1' }, text: 'x' }), 'validation_failed'],
    ['from.id is missing', () => JSON.stringify({ messageId: 'a', from: {}, text: 'x' }), 'validation_failed'],
    ['there is neither text nor attachments', () => JSON.stringify({ messageId: 'a', from: { id: 'c1' } }), 'validation_failed'],
    ['the text is empty and attachments too', () => JSON.stringify({ messageId: 'a', from: { id: 'c1' }, text: '', attachments: [] }), 'validation_failed'],
    ['an attachment has no url', () => JSON.stringify({ messageId: 'a', from: { id: 'c1' }, attachments: [{ contentType: 'image/png' }] }), 'validation_failed'],
    ['an attachment url is not a URL', () => JSON.stringify({ messageId: 'a', from: { id: 'c1' }, attachments: [{ url: 'nope', contentType: 'image/png' }] }), 'validation_failed'],
    // Only Sapa names the files it holds: an integrator pointing a message at a stored file's id is refused.
    ['an attachment carries a stored file id', () => JSON.stringify({ messageId: 'a', from: { id: 'c1' }, attachments: [{ url: 'https://cdn.example/a.png', contentType: 'image/png', id: '00000000-0000-4000-8000-000000000000' }] }), 'validation_failed'],
    ['an attachment carries a size or an error', () => JSON.stringify({ messageId: 'a', from: { id: 'c1' }, attachments: [{ url: 'https://cdn.example/a.png', contentType: 'image/png', size: 1, error: 'x' }] }), 'validation_failed'],
    ['the timestamp is not a date', () => JSON.stringify({ messageId: 'a', from: { id: 'c1' }, text: 'x', timestamp: 'yesterday' }), 'validation_failed'],
    ['the body is not JSON', () => '{"messageId": "a", ', 'invalid_json'],
    ['the body is empty', () => '', 'invalid_json'],
  ])('refuses with 400 when %s, and enqueues nothing', async (_case, make, code) => {
    const raw = make();
    const res = await post(raw);
    await expectRefusedQueuingNothing(res, 400, code, inboundJobs);
  });

  const raw = JSON.stringify({ messageId: 'sig-1', from: { id: 'c1' }, text: 'Halo' });
  it.each([
    ['the signature is wrong', () => ({ ...signedHeaders(raw), 'x-sapa-signature': `sha256=${'0'.repeat(64)}` }), 'invalid_signature'],
    ['the signature header is missing', () => ({ 'content-type': 'application/json', 'x-sapa-timestamp': String(NOW_S) }), 'missing_signature'],
    ['the timestamp header is missing', () => ({ 'content-type': 'application/json', 'x-sapa-signature': signPayload(channel.secret, NOW_S, raw) }), 'missing_signature'],
    ['both headers are missing', () => ({ 'content-type': 'application/json' }), 'missing_signature'],
    ['it was signed 301 s ago', () => signedHeaders(raw, channel.secret, NOW_S - 301), 'stale_timestamp'],
    ['it was signed 301 s in the future', () => signedHeaders(raw, channel.secret, NOW_S + 301), 'stale_timestamp'],
    ['the signature is over a different body', () => signedHeaders(raw.replace('Halo', 'Hal0')), 'invalid_signature'],
    ["it was signed with another channel's secret", () => signedHeaders(raw, otherChannel.secret), 'invalid_signature'],
  ])('refuses with 401 when %s, and enqueues nothing', async (_case, headers, code) => {
    const res = await post(raw, headers());
    await expectRefusedQueuingNothing(res, 401, code, inboundJobs);
  });

  it.each([
    ['300 s ago', NOW_S - 300],
    ['300 s ahead', NOW_S + 300],
  ])('still accepts a signature made %s, the edge of the window', async (_case, timestamp) => {
    const res = await post(raw, signedHeaders(raw, channel.secret, timestamp));
    expect(res.statusCode).toBe(202);
  });

  it('checks the signature before the body: an unsigned invalid body gets 401, not 400', async () => {
    const res = await post('{not json', { 'content-type': 'application/json' });
    expect(res.statusCode).toBe(401);
    expect(await inboundJobs()).toHaveLength(0);
  });

  it.each([
    ['no channel has the id', () => randomUUID()],
    ['the id is not a uuid', () => 'not-a-uuid'],
    ['the channel is not an api channel', () => telegramChannelId],
  ])('answers 404 channel_not_found when %s, and enqueues nothing', async (_case, channelId) => {
    const res = await post(raw, signedHeaders(raw), channelId());
    await expectRefusedQueuingNothing(res, 404, 'channel_not_found', inboundJobs);
  });

  it('answers 413 payload_too_large for a body over 1 MiB, before looking at the signature', async () => {
    const big = JSON.stringify(body({ text: 'x'.repeat(1024 * 1024) }));
    const res = await post(big, { 'content-type': 'application/json' });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ error: { code: 'payload_too_large', message: expect.any(String) } });
    expect(await inboundJobs()).toHaveLength(0);
  });

  it('answers 415 for a body that is not JSON by its content type, and enqueues nothing', async () => {
    const res = await post(raw, { ...signedHeaders(raw), 'content-type': 'text/plain' });
    await expectRefusedQueuingNothing(res, 415, 'unsupported_media_type', inboundJobs);
  });

  it('accepts application/json with a charset', async () => {
    const res = await post(raw, { ...signedHeaders(raw), 'content-type': 'application/json; charset=utf-8' });
    expect(res.statusCode).toBe(202);
  });
});

describe('operational routes', () => {
  it('is ready when Postgres and Redis answer', async () => {
    const res = await gateway.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } });
  });

  it('reports the depth of its queues in /metrics', async () => {
    const raw = JSON.stringify(body());
    await post(raw);
    const res = await gateway.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.body).toMatch(/sapa_queue_jobs\{queue="inbound",state="waiting",service="gateway"\} 1/);
    expect(res.body).toMatch(/sapa_queue_jobs\{queue="outbound.api",state="failed",service="gateway"\} 0/);
  });
});
