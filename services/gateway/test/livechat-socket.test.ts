import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { HandlingEvent, InboundMessage } from '@sapa/contracts';
import { attachmentSigningKey, createLocalDiskStore } from '@sapa/attachments';
import type { DB, Kysely } from '@sapa/db';
import type { Redis } from '@sapa/queue';
import { testEnv, type TestTenant } from '@sapa/test-support';
import { createDelivery } from '@sapa/db/queries/deliveries';
import { startOutboundWorkers } from '../src/index.js';
import { createLivechatBus } from '../src/livechat/livechat-bus.js';
import { insertChannel } from './helpers/channel-rows.js';
import type { QueueScope } from './helpers/queue-scope.js';
import { queuedJobs } from './helpers/queued-jobs.js';
import { buildTestGateway, type TestGateway } from './helpers/test-gateway.js';
import { closeTestStores, openTestStores, silentLogger, testSecretBox } from './helpers/test-stores.js';
import { openVisitorSocket, upgradeStatus, type VisitorSocket } from './helpers/visitor-socket.js';
import { waitFor } from './helpers/wait-for.js';

const ORIGIN = 'https://shop.example';

let db: Kysely<DB>;
let redis: Redis;
let tenant: TestTenant;
let channelId: string;
let gateway: TestGateway;
let scope: QueueScope;
let baseUrl: string;
let filesDir: string;
const sockets: VisitorSocket[] = [];

const insertLivechatChannel = (config: Record<string, unknown>) => insertChannel(db, tenant.id, { type: 'livechat', name: 'Website', config });

beforeAll(async () => {
  ({ db, redis, tenant } = await openTestStores());
  channelId = await insertLivechatChannel({ allowedOrigins: [ORIGIN, 'http://localhost:8080'] });
  filesDir = await mkdtemp(join(tmpdir(), 'sapa-livechat-'));
});

afterAll(async () => {
  await closeTestStores({ db, redis });
  await rm(filesDir, { recursive: true, force: true });
});

beforeEach(async () => {
  gateway = await buildTestGateway(db, redis, {
    attachments: { store: createLocalDiskStore(filesDir), signingKey: attachmentSigningKey(testEnv().secretKey), publicUrl: 'http://gateway.test' },
    livechat: { leaveGraceMs: 150, pingIntervalMs: 60_000 },
  });
  ({ scope } = gateway);
  await gateway.app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(gateway.app.server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  for (const s of sockets.splice(0)) await s.close();
  await gateway.close('inbound', 'handling', 'outbound.livechat');
});

async function visit(origin: string | null = ORIGIN): Promise<VisitorSocket> {
  const s = await openVisitorSocket(baseUrl, channelId, origin);
  sockets.push(s);
  await s.next('hello');
  return s;
}

/** A new visitor through the pre-chat form; their token. */
async function startChat(s: VisitorSocket, form: Record<string, string> = { name: 'Siti Aminah', phone: '0812-3456-7890' }) {
  const before = s.frames.length;
  s.send({ type: 'start', form });
  const session = await s.next('session', before);
  await s.next('history', before);
  return { token: session.token as string, visitorId: (session.visitor as { id: string }).id };
}

async function inbound(): Promise<InboundMessage[]> {
  return (await queuedJobs<InboundMessage>(scope.producer, 'inbound')).map((j) => j.data);
}

async function handlingEvents(): Promise<HandlingEvent[]> {
  return (await queuedJobs<HandlingEvent>(scope.producer, 'handling')).map((j) => j.data);
}

/** What the router leaves once the visitor's first message is in: their contact and an open conversation. */
async function openConversationFor(visitorId: string, status: 'queued' | 'assigned' = 'assigned') {
  const contact = await db.insertInto('contacts').values({ tenant_id: tenant.id, name: 'Siti' }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('contact_identities').values({ tenant_id: tenant.id, contact_id: contact.id, channel_id: channelId, external_id: visitorId }).execute();
  const conversation = await db
    .insertInto('conversations')
    .values({ tenant_id: tenant.id, channel_id: channelId, contact_id: contact.id, team_id: tenant.teamId, assignee_id: status === 'assigned' ? tenant.users.agent1!.id : null, kind: 'chat', status })
    .returning('id')
    .executeTakeFirstOrThrow();
  return conversation.id;
}

describe('the widget and the socket', () => {
  it('serves the widget script as JavaScript', async () => {
    const res = await fetch(`${baseUrl}/livechat/widget.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/javascript/);
    expect(await res.text()).toContain('data-channel');
  });

  it.each([
    ['an origin the channel does not allow', 'https://evil.example', 403],
    ['no Origin header', null, 403],
    ['a look-alike origin (other port)', 'https://shop.example:8443', 403],
  ])('refuses the upgrade from %s with 403', async (_why, origin, status) => {
    expect(await upgradeStatus(baseUrl, channelId, origin)).toBe(status);
  });

  it('answers 404 for a channel that is not a live chat, before looking at the origin', async () => {
    expect(await upgradeStatus(baseUrl, randomUUID(), ORIGIN)).toBe(404);
    const res = await fetch(`${baseUrl}/livechat/${randomUUID()}/ws`, { headers: { origin: ORIGIN } });
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('channel_not_found');
  });

  it('says hello with the pre-chat form and the business-hours banner', async () => {
    const s = await visit();
    const hello = await s.next('hello');
    expect(hello).toMatchObject({ brand: expect.any(String), businessHours: { open: expect.any(Boolean) }, preChatForm: { fields: expect.any(Array) } });
  });
});

describe('pre-chat form and resume', () => {
  it('refuses a form without a name and with a phone that is not a number, creating no visitor', async () => {
    const s = await visit();
    const before = await db.selectFrom('livechat_visitors').select(db.fn.countAll<string>().as('n')).where('channel_id', '=', channelId).executeTakeFirstOrThrow();
    s.send({ type: 'start', form: { phone: '12', email: 'not-an-email' } });
    const error = await s.next('error');
    expect(error).toMatchObject({ code: 'invalid_pre_chat_form' });
    expect((error.details as { errors: unknown[] }).errors).toEqual(
      expect.arrayContaining([
        { field: 'name', code: 'required' },
        { field: 'phone', code: 'invalid_phone' },
        { field: 'email', code: 'invalid_email' },
      ]),
    );
    const after = await db.selectFrom('livechat_visitors').select(db.fn.countAll<string>().as('n')).where('channel_id', '=', channelId).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('asks for a phone or an email when neither is given', async () => {
    const s = await visit();
    s.send({ type: 'start', form: { name: 'Budi' } });
    expect(await s.next('error')).toMatchObject({ details: { errors: [{ field: 'phone', code: 'phone_or_email_required' }] } });
  });

  it('keeps only the hash of the visitor token, and the phone in E.164 (Indonesia by default)', async () => {
    const s = await visit();
    const { token, visitorId } = await startChat(s);
    expect(token).toMatch(/^lcv_[A-Za-z0-9_-]{43}$/);
    const row = await db.selectFrom('livechat_visitors').selectAll().where('id', '=', visitorId).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(row).toMatchObject({ name: 'Siti Aminah', phone: '+6281234567890', tenant_id: tenant.id });
  });

  it('resumes with the token and sends what the visitor missed since the cursor', async () => {
    const first = await visit();
    const { token, visitorId } = await startChat(first);
    await first.close();
    const conversationId = await openConversationFor(visitorId);
    await db
      .insertInto('messages')
      .values({ tenant_id: tenant.id, conversation_id: conversationId, channel_id: channelId, direction: 'out', author_type: 'agent', author_id: tenant.users.agent1!.id, text: 'Selamat siang, Bu Siti', status: 'sent' })
      .execute();

    const again = await visit();
    again.send({ type: 'resume', token });
    expect(await again.next('session')).toMatchObject({ visitor: { id: visitorId, name: 'Siti Aminah' } });
    expect((await again.next('session')).token).toBeUndefined();
    const history = await again.next('history');
    expect(history).toMatchObject({ conversation: { id: conversationId, status: 'assigned' }, messages: [{ direction: 'out', authorType: 'agent', text: 'Selamat siang, Bu Siti' }] });
    expect(history.cursor).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);

    // A reconnect with the cursor gets nothing older than its overlap window; the widget drops what it has by id.
    const later = await visit();
    later.send({ type: 'resume', token, since: '2099-01-01T00:00:00.000000Z' });
    expect(await later.next('history')).toMatchObject({ messages: [], cursor: '2099-01-01T00:00:00.000000Z' });
  });

  it('refuses an unknown token and leaves the socket open for a new start', async () => {
    const s = await visit();
    s.send({ type: 'resume', token: 'lcv_made-up' });
    expect(await s.next('error')).toMatchObject({ code: 'invalid_visitor_token' });
    await startChat(s);
  });
});

describe('messages', () => {
  it('accepts a visitor message exactly once per widget message id', async () => {
    const s = await visit();
    const { visitorId } = await startChat(s);
    s.send({ type: 'message', id: 'msg-0001-abcd', text: 'Halo, saldo saya belum masuk' });
    expect(await s.next('ack')).toEqual({ type: 'ack', id: 'msg-0001-abcd', status: 'accepted' });
    const n = s.frames.length;
    s.send({ type: 'message', id: 'msg-0001-abcd', text: 'Halo, saldo saya belum masuk' });
    expect(await s.next('ack', n)).toEqual({ type: 'ack', id: 'msg-0001-abcd', status: 'duplicate' });
    const jobs = await inbound();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      tenantId: tenant.id,
      channelId,
      channelType: 'livechat',
      externalMessageId: `${visitorId}/msg-0001-abcd`,
      from: { externalId: visitorId, name: 'Siti Aminah', phone: '+6281234567890' },
      text: 'Halo, saldo saya belum masuk',
      attachments: [],
    });
  });

  it('refuses a message before start or resume', async () => {
    const s = await visit();
    s.send({ type: 'message', id: 'msg-0002-abcd', text: 'hi' });
    expect(await s.next('error')).toMatchObject({ code: 'session_required', details: { id: 'msg-0002-abcd' } });
    expect(await inbound()).toHaveLength(0);
  });

  it('pushes a reply published by any replica to the visitor socket', async () => {
    const s = await visit();
    const { visitorId } = await startChat(s);
    const n = s.frames.length;
    await createLivechatBus(redis, scope.prefix).publish({ visitorId, frame: { type: 'message', message: { id: 'm1', direction: 'out', text: 'Baik, kami cek' } } });
    expect(await s.next('message', n)).toMatchObject({ message: { id: 'm1', text: 'Baik, kami cek' } });
  });
});

describe('quoted replies', () => {
  it("names the message a visitor answers to the router: Sapa's by its id, the visitor's own by the widget's", async () => {
    const s = await visit();
    const { visitorId } = await startChat(s);
    const agentMessageId = randomUUID();
    s.send({ type: 'message', id: 'msg-quote-agent', text: 'Yang ini maksudnya?', replyTo: { messageId: agentMessageId.toUpperCase() } });
    await s.next('ack');
    const n = s.frames.length;
    s.send({ type: 'message', id: 'msg-quote-own', text: 'Maksud saya pesan ini', replyTo: { clientId: 'msg-quote-agent' } });
    expect(await s.next('ack', n)).toMatchObject({ id: 'msg-quote-own', status: 'accepted' });
    const replies = Object.fromEntries((await inbound()).map((m) => [m.externalMessageId, m.replyToExternalId]));
    expect(replies).toEqual({ [`${visitorId}/msg-quote-agent`]: agentMessageId, [`${visitorId}/msg-quote-own`]: `${visitorId}/msg-quote-agent` });
  });

  it.each([
    ['a message id that is not a uuid', { messageId: 'wamid.HBgL' }],
    ['a widget id too short', { clientId: 'abc' }],
    ['both ids at once', { messageId: randomUUID(), clientId: 'msg-quote-both' }],
    ['a bare string', 'msg-quote-bare'],
  ])('refuses a quote naming %s, enqueuing nothing', async (_why, replyTo) => {
    const s = await visit();
    await startChat(s);
    const n = s.frames.length;
    s.send({ type: 'message', id: 'msg-bad-quote', text: 'Yang ini', replyTo });
    expect(await s.next('error', n)).toMatchObject({ code: 'invalid_message', details: { errors: expect.any(Array) } });
    expect(await inbound()).toHaveLength(0);
  });

  it("shows the visitor which message an agent's reply answers, live and after a resume", async () => {
    const s = await visit();
    const { token, visitorId } = await startChat(s);
    const conversationId = await openConversationFor(visitorId);
    const row = { tenant_id: tenant.id, conversation_id: conversationId, channel_id: channelId };
    const question = await db
      .insertInto('messages')
      .values({ ...row, direction: 'in', author_type: 'contact', text: 'Halo,  saldo saya\nbelum masuk', external_id: `${visitorId}/msg-question`, status: 'received' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const answer = await db
      .insertInto('messages')
      .values({ ...row, direction: 'out', author_type: 'agent', author_id: tenant.users.agent1!.id, text: 'Baik, kami cek', status: 'queued', reply_to_message_id: question.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    const delivery = await createDelivery(db, tenant.id, { messageId: answer.id, conversationId, channelId });
    const quote = { id: question.id, clientId: 'msg-question', direction: 'in', excerpt: 'Halo, saldo saya belum masuk' };

    const workers = startOutboundWorkers({ db, redis, prefix: scope.prefix, secretBox: testSecretBox, eventBus: scope.eventBus, logger: silentLogger, queues: ['outbound.livechat'] });
    try {
      const n = s.frames.length;
      await scope.producer.add('outbound.livechat', { tenantId: tenant.id, deliveryId: delivery.id, messageId: answer.id, replay: 0 });
      expect(await s.next('message', n)).toMatchObject({ message: { id: answer.id, text: 'Baik, kami cek', replyTo: quote } });
    } finally {
      await Promise.all(workers.map((w) => w.close()));
    }

    const again = await visit();
    again.send({ type: 'resume', token });
    const { messages } = (await again.next('history')) as unknown as { messages: Array<{ id: string; replyTo?: unknown }> };
    expect(messages.map((m) => [m.id, m.replyTo])).toEqual([
      [question.id, undefined],
      [answer.id, quote],
    ]);
  });
});

describe('bad frames', () => {
  const quarantined = () =>
    db.selectFrom('inbound_quarantine').select(['reason', 'payload', 'source']).where('channel_id', '=', channelId).orderBy('created_at').execute();

  it('answers noise with an error frame, keeps the socket, quarantines nothing and enqueues nothing', async () => {
    const s = await visit();
    const before = (await quarantined()).length;
    s.send('not json at all');
    expect(await s.next('error')).toMatchObject({ code: 'invalid_json' });
    s.send({ type: 'dance' });
    expect(await s.next('error', 2)).toMatchObject({ code: 'unknown_frame_type' });
    s.send({ type: 'typing', typing: 'yes' });
    expect(s.frames.length).toBeGreaterThan(0);
    s.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await waitFor(async () => (s.frames.filter((f) => f.type === 'error').length >= 4 ? true : undefined), 'four errors');
    expect(s.frames.filter((f) => f.type === 'error').map((f) => f.code)).toEqual(['invalid_json', 'unknown_frame_type', 'invalid_frame', 'binary_not_accepted']);
    const n = s.frames.length;
    s.send({ type: 'ping' });
    await s.next('pong', n);
    expect((await quarantined()).length).toBe(before);
    expect(await inbound()).toHaveLength(0);
  });

  it("quarantines what may be a visitor's words (text that is not JSON, a message out of shape) and goes on", async () => {
    const s = await visit();
    const { visitorId } = await startChat(s);
    const before = (await quarantined()).length;
    let n = s.frames.length;
    s.send('Halo?? {');
    expect(await s.next('error', n)).toMatchObject({ code: 'invalid_json' });
    n = s.frames.length;
    s.send({ type: 'message', id: 'x', text: 42 });
    expect(await s.next('error', n)).toMatchObject({ code: 'invalid_message' });
    const rows = (await quarantined()).slice(before);
    expect(rows.map((r) => [r.source, r.reason, r.payload.toString('utf8')])).toEqual([
      ['livechat', 'invalid_json', 'Halo?? {'],
      ['livechat', 'invalid_message', JSON.stringify({ type: 'message', id: 'x', text: 42 })],
    ]);
    expect(await inbound()).toHaveLength(0);
    n = s.frames.length;
    s.send({ type: 'message', id: 'msg-after-bad', text: 'masih di sini' });
    expect(await s.next('ack', n)).toMatchObject({ status: 'accepted' });
    expect((await inbound())[0]?.from.externalId).toBe(visitorId);
  });

  it('closes a socket that keeps sending bad frames (1008)', async () => {
    const s = await visit();
    for (let i = 0; i < 10; i++) s.send({ type: 'nope' });
    expect((await s.closed).code).toBe(1008);
  });
});

describe('uploads', () => {
  const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64)]);
  const upload = (token: string | null, body: Buffer, headers: Record<string, string> = {}, origin: string | null = ORIGIN) =>
    fetch(`${baseUrl}/livechat/${channelId}/attachments`, {
      method: 'POST',
      headers: { 'content-type': 'image/png', 'x-filename': encodeURIComponent('bukti transfer.png'), ...(token && { authorization: `Bearer ${token}` }), ...(origin && { origin }), ...headers },
      body,
    });

  it('stores a visitor file, and a message naming it carries it to the router', async () => {
    const s = await visit();
    const { token } = await startChat(s);
    const preflight = await fetch(`${baseUrl}/livechat/${channelId}/attachments`, { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');

    const res = await upload(token, PNG);
    expect(res.status).toBe(201);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const stored = (await res.json()) as { id: string; contentType: string; filename: string; size: number };
    expect(stored).toMatchObject({ contentType: 'image/png', filename: 'bukti transfer.png', size: PNG.length });

    s.send({ type: 'message', id: 'msg-with-file', attachments: [{ id: stored.id }] });
    expect(await s.next('ack')).toMatchObject({ status: 'accepted' });
    expect((await inbound())[0]?.attachments).toEqual([{ url: `sapa-attachment:${stored.id}`, contentType: 'image/png', filename: 'bukti transfer.png', id: stored.id, size: PNG.length }]);
  });

  it('refuses a message naming a file this chat did not upload', async () => {
    const s = await visit();
    await startChat(s);
    s.send({ type: 'message', id: 'msg-bad-file', attachments: [{ id: randomUUID() }] });
    expect(await s.next('error')).toMatchObject({ code: 'attachment_not_found' });
    expect(await inbound()).toHaveLength(0);
  });

  it.each([
    ['no token', null, PNG, {}, ORIGIN, 401, 'invalid_visitor_token'],
    ['a made-up token', 'lcv_nobody', PNG, {}, ORIGIN, 401, 'invalid_visitor_token'],
    ['an origin the channel does not allow', 'TOKEN', PNG, {}, 'https://evil.example', 403, 'origin_not_allowed'],
    ['a file over 10 MiB', 'TOKEN', Buffer.alloc(10 * 1024 * 1024 + 1), {}, ORIGIN, 413, 'attachment_too_large'],
    ['an executable', 'TOKEN', Buffer.concat([Buffer.from('7f454c46020101', 'hex'), Buffer.alloc(64)]), { 'content-type': 'application/octet-stream' }, ORIGIN, 415, 'attachment_type_refused'],
    ['an empty body', 'TOKEN', Buffer.alloc(0), {}, ORIGIN, 400, 'empty_attachment'],
  ])('refuses an upload with %s', async (_why, tokenKind, body, headers, origin, status, code) => {
    const s = await visit();
    const { token } = await startChat(s);
    const before = await db.selectFrom('attachments').select(db.fn.countAll<string>().as('n')).where('channel_id', '=', channelId).executeTakeFirstOrThrow();
    const res = await upload(tokenKind === 'TOKEN' ? token : tokenKind, body, headers, origin);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    const after = await db.selectFrom('attachments').select(db.fn.countAll<string>().as('n')).where('channel_id', '=', channelId).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});

describe('typing and leaving', () => {
  it("tells agents the visitor is typing, and the visitor that an agent is", async () => {
    const s = await visit();
    const { visitorId } = await startChat(s);
    const conversationId = await openConversationFor(visitorId);
    s.send({ type: 'typing', typing: true });
    const event = await waitFor(async () => scope.events.find((e) => e.type === 'conversation.typing'), 'visitor typing event');
    expect(event).toMatchObject({
      tenantId: tenant.id,
      audience: { teamId: tenant.teamId, userIds: [tenant.users.agent1!.id] },
      data: { conversationId, channelId, channelType: 'livechat', actor: { type: 'contact', name: 'Siti Aminah' }, typing: true },
    });

    const n = s.frames.length;
    await scope.eventBus.publish({
      type: 'conversation.typing',
      tenantId: tenant.id,
      audience: { teamId: tenant.teamId },
      data: { conversationId, channelId, channelType: 'livechat', actor: { type: 'agent', id: tenant.users.agent1!.id, name: 'Agent Satu' }, typing: true },
    });
    expect(await s.next('typing', n)).toEqual({ type: 'typing', typing: true, name: 'Agent Satu' });
  });

  it('reports the visitor gone once their last socket has stayed closed for the grace', async () => {
    const a = await visit();
    const { token, visitorId } = await startChat(a);
    const conversationId = await openConversationFor(visitorId);
    const b = await visit();
    b.send({ type: 'resume', token });
    await b.next('history');
    await a.close();
    await new Promise((r) => setTimeout(r, 400));
    expect(await handlingEvents()).toHaveLength(0); // another tab is still open
    await b.close();
    const [left] = await waitFor(async () => ((await handlingEvents()).length > 0 ? handlingEvents() : undefined), 'contact_left');
    expect(left).toMatchObject({ tenantId: tenant.id, conversationId, type: 'contact_left' });
  });

  it('a reload within the grace is not a leave', async () => {
    const a = await visit();
    const { token, visitorId } = await startChat(a);
    await openConversationFor(visitorId);
    await a.close();
    const b = await visit();
    b.send({ type: 'resume', token });
    await b.next('history');
    await new Promise((r) => setTimeout(r, 400));
    expect(await handlingEvents()).toHaveLength(0);
  });

  it('"end" reports the leave at once, and closing the tab afterwards does not ask again', async () => {
    const s = await visit();
    const { visitorId } = await startChat(s);
    const conversationId = await openConversationFor(visitorId, 'queued');
    s.send({ type: 'end' });
    await s.next('ended');
    expect(await handlingEvents()).toEqual([expect.objectContaining({ conversationId, type: 'contact_left' })]);
    await s.close();
    await new Promise((r) => setTimeout(r, 400));
    expect(await handlingEvents()).toHaveLength(1);
  });

  it('a visitor with no open conversation has nothing to leave', async () => {
    const s = await visit();
    await startChat(s);
    s.send({ type: 'end' });
    await s.next('ended');
    expect(await handlingEvents()).toHaveLength(0);
  });
});
