import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { attachmentSigningKey, createLocalDiskStore } from '@sapa/attachments';
import type { DB, Kysely } from '@sapa/db';
import type { Redis } from '@sapa/queue';
import { testEnv, type TestTenant } from '@sapa/test-support';
import { takeRate } from '../src/livechat/visitor-rate-limit.js';
import { insertChannel } from './helpers/channel-rows.js';
import { buildTestGateway, type TestGateway } from './helpers/test-gateway.js';
import { closeTestStores, openTestStores } from './helpers/test-stores.js';
import { openVisitorSocket, type VisitorSocket } from './helpers/visitor-socket.js';

const ORIGIN = 'https://shop.example';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4e80000000049454e44ae426082', 'hex');

/** The live chat is open to anyone on the site: a script may not make visitors, messages or uploads at machine speed. */
describe('live chat rate limits', () => {
  let db: Kysely<DB>;
  let redis: Redis;
  let tenant: TestTenant;
  let gateway: TestGateway;
  let baseUrl: string;
  let channelId: string;
  let filesDir: string;
  const sockets: VisitorSocket[] = [];

  beforeAll(async () => {
    ({ db, redis, tenant } = await openTestStores());
    channelId = await insertChannel(db, tenant.id, { type: 'livechat', name: 'Website', config: { allowedOrigins: [ORIGIN] } });
    filesDir = await mkdtemp(join(tmpdir(), 'sapa-livechat-rate-'));
    gateway = await buildTestGateway(db, redis, {
      attachments: { store: createLocalDiskStore(filesDir), signingKey: attachmentSigningKey(testEnv().secretKey), publicUrl: 'http://gateway.test' },
      livechat: { leaveGraceMs: 60_000, pingIntervalMs: 60_000, rateLimits: { start: { limit: 2, windowSeconds: 60 }, message: { limit: 3, windowSeconds: 60 }, upload: { limit: 1, windowSeconds: 60 } } },
    });
    await gateway.app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(gateway.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const s of sockets.splice(0)) await s.close();
    await gateway.close('inbound', 'handling');
    await closeTestStores({ db, redis });
    await rm(filesDir, { recursive: true, force: true });
  });

  async function visit(): Promise<VisitorSocket> {
    const s = await openVisitorSocket(baseUrl, channelId, ORIGIN);
    sockets.push(s);
    await s.next('hello');
    return s;
  }
  async function start(s: VisitorSocket) {
    const before = s.frames.length;
    s.send({ type: 'start', form: { name: 'Siti', email: 'siti@pelanggan.test' } });
    return s.next('session', before).catch(async () => s.next('error', before));
  }

  it('counts in a window shared by every replica, and says when it opens again', async () => {
    const key = `${gateway.scope.prefix}:rate-test:${randomUUID()}`;
    const rule = { limit: 2, windowSeconds: 30 };
    expect(await takeRate(redis, key, rule)).toEqual({ allowed: true });
    expect(await takeRate(redis, key, rule)).toEqual({ allowed: true });
    const refused = await takeRate(redis, key, rule);
    expect(refused.allowed).toBe(false);
    expect(!refused.allowed && refused.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('refuses a third new chat from one address in the window, with rate_limited and when to try again', async () => {
    const frames = [];
    for (let i = 0; i < 3; i++) frames.push(await start(await visit()));
    expect(frames.map((f) => f.type)).toEqual(['session', 'session', 'error']);
    expect(frames[2]).toMatchObject({ code: 'rate_limited', details: { retryAfterSeconds: expect.any(Number) } });
  });

  it('refuses a visitor\'s fourth message in the window, and their second upload with 429', async () => {
    await redis.del(`${gateway.scope.prefix}:livechat:rate:start:${channelId}:127.0.0.1`);
    const s = await visit();
    const session = await start(s);
    const token = session.token as string;
    for (let i = 1; i <= 4; i++) s.send({ type: 'message', id: randomUUID(), text: `pesan ${i}` });
    const limited = await s.next('error');
    expect(limited).toMatchObject({ code: 'rate_limited' });

    const upload = () =>
      fetch(`${baseUrl}/livechat/${channelId}/attachments`, { method: 'POST', headers: { origin: ORIGIN, authorization: `Bearer ${token}`, 'content-type': 'image/png' }, body: PNG });
    expect((await upload()).status).toBe(201);
    const second = await upload();
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
  });
});
