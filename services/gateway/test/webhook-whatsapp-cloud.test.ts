import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { InboundMessage } from '@sapa/contracts';
import type { DB, Kysely } from '@sapa/db';
import type { Redis } from '@sapa/queue';
import { createApiChannel, type TestTenant } from '@sapa/test-support';
import { hubSignature, statusValue, textMessageValue, whatsappWebhookBody } from '../../../tests/support/fakes/graph-api.js';
import { insertChannel } from './helpers/channel-rows.js';
import { expectRefusedQueuingNothing } from './helpers/expect-refused.js';
import { queuedJobs } from './helpers/queued-jobs.js';
import { seedReply } from './helpers/seed-reply.js';
import { postHubSigned } from './helpers/signed-requests.js';
import { gatewayPerTest } from './helpers/test-gateway.js';
import { closeTestStores, openTestStores } from './helpers/test-stores.js';
import { waitFor } from './helpers/wait-for.js';

const NOW = new Date('2030-01-02T03:04:05.000Z');
const PHONE_NUMBER_ID = '106540352242922';
const APP_SECRET = `appsecret${randomUUID().replaceAll('-', '')}`;
const VERIFY_TOKEN = `verify-${randomUUID()}`;
const WA_ID = '6281234567890';

let db: Kysely<DB>;
let redis: Redis;
let tenant: TestTenant;
let channelId: string;
let apiChannelId: string;

beforeAll(async () => {
  ({ db, redis, tenant } = await openTestStores());
  channelId = await insertChannel(db, tenant.id, {
    type: 'whatsapp_cloud',
    name: 'WA CS',
    config: { phoneNumberId: PHONE_NUMBER_ID, graphApiBase: 'http://127.0.0.1:9/v21.0' },
    secrets: { accessToken: 'EAAG-test-access-token-0123456789', appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN },
  });
  apiChannelId = (await createApiChannel(db, tenant.id)).id;
});

afterAll(() => closeTestStores({ db, redis }));

const gateway = gatewayPerTest(() => ({ db, redis }), { now: () => NOW }, 'inbound');

const post = (payload: unknown, headers?: Record<string, string>, id = channelId) => postHubSigned(gateway.app, `/webhooks/whatsapp/${id}`, payload, APP_SECRET, headers);

function handshake(query: Record<string, string>, id = channelId) {
  return gateway.app.inject({ method: 'GET', url: `/webhooks/whatsapp/${id}`, query });
}

async function inboundJobs(): Promise<InboundMessage[]> {
  return (await queuedJobs<InboundMessage>(gateway.scope.producer, 'inbound')).map((job) => job.data);
}

const body = (value: Record<string, unknown>) => whatsappWebhookBody(PHONE_NUMBER_ID, value);

describe('GET /webhooks/whatsapp/:channelId (Meta verification handshake)', () => {
  it('echoes hub.challenge as text/plain when the mode is subscribe and the verify token is the channel\'s', async () => {
    const res = await handshake({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1158201444' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toBe('1158201444');
  });

  it.each([
    ['the verify token is wrong', { 'hub.mode': 'subscribe', 'hub.verify_token': `${VERIFY_TOKEN}x`, 'hub.challenge': '1' }],
    ['the verify token is missing', { 'hub.mode': 'subscribe', 'hub.challenge': '1' }],
    ['the mode is not subscribe', { 'hub.mode': 'unsubscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1' }],
  ])('refuses with 403 handshake_refused when %s', async (_case, query) => {
    const res = await handshake(query);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('handshake_refused');
    expect(res.body).not.toContain(VERIFY_TOKEN);
  });

  it.each([
    ['no channel has the id', () => randomUUID()],
    ['the channel is not a whatsapp_cloud channel', () => apiChannelId],
  ])('answers 404 channel_not_found when %s', async (_case, id) => {
    const res = await handshake({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1' }, id());
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('channel_not_found');
  });
});

describe('POST /webhooks/whatsapp/:channelId', () => {
  it('accepts a signed text message with 202, as one normalised message from the customer\'s wa_id', async () => {
    const value = textMessageValue(WA_ID, 'Saldo saya belum masuk', { id: 'wamid.ONE', timestamp: '1893553440' });
    const res = await post(body(value));

    expect(res.statusCode).toBe(202);
    expect(await inboundJobs()).toEqual([
      {
        tenantId: tenant.id,
        channelId,
        channelType: 'whatsapp_cloud',
        externalMessageId: 'wamid.ONE',
        from: { externalId: WA_ID, name: 'Budi Santoso', phone: `+${WA_ID}` },
        text: 'Saldo saya belum masuk',
        attachments: [],
        sentAt: new Date(1893553440 * 1000).toISOString(),
        receivedAt: NOW.toISOString(),
      },
    ]);
  });

  it('enqueues the same wamid once, answering the redelivery 200 duplicate', async () => {
    const same = body(textMessageValue(WA_ID, 'Halo'));
    expect((await post(same)).statusCode).toBe(202);
    const again = await post(same);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ status: 'duplicate' });
    expect(await inboundJobs()).toHaveLength(1);
  });

  it('takes every message of a body with two entries as a message of its own', async () => {
    const first = body(textMessageValue(WA_ID, 'Pertama'));
    const second = body(textMessageValue('6289876543210', 'Kedua', {}, 'Siti'));
    const both = { ...first, entry: [...(first.entry as object[]), ...(second.entry as object[])] };

    expect((await post(both)).statusCode).toBe(202);
    const jobs = await inboundJobs();
    expect(jobs.map((m) => [m.from.externalId, m.from.name, m.text]).sort()).toEqual([
      ['6281234567890', 'Budi Santoso', 'Pertama'],
      ['6289876543210', 'Siti', 'Kedua'],
    ]);
  });

  it("numbers a customer's messages of one body in receivedAt's microseconds, in the body's order: the order the router stores", async () => {
    const value = textMessageValue(WA_ID, 'Halo');
    const more = ['Saldo saya belum masuk', 'Sudah 2 hari'].map((text) => (textMessageValue(WA_ID, text).messages as object[])[0]);
    expect((await post(body({ ...value, messages: [...(value.messages as object[]), ...more] }))).statusCode).toBe(202);
    const jobs = await inboundJobs();
    expect(Object.fromEntries(jobs.map((m) => [m.text, m.receivedAt]))).toEqual({
      Halo: '2030-01-02T03:04:05.000Z',
      'Saldo saya belum masuk': '2030-01-02T03:04:05.000001Z',
      'Sudah 2 hari': '2030-01-02T03:04:05.000002Z',
    });
  });

  it.each([
    ['an image with a caption', { type: 'image', image: { id: 'media-1', mime_type: 'image/jpeg', sha256: 'x', caption: 'Struk transfer' } }, 'Struk transfer', [{ url: 'whatsapp-media:media-1', contentType: 'image/jpeg' }]],
    ['a document', { type: 'document', document: { id: 'media-2', mime_type: 'application/pdf', filename: 'mutasi.pdf' } }, undefined, [{ url: 'whatsapp-media:media-2', contentType: 'application/pdf', filename: 'mutasi.pdf' }]],
    ['a voice note', { type: 'audio', audio: { id: 'media-3', mime_type: 'audio/ogg; codecs=opus', voice: true } }, undefined, [{ url: 'whatsapp-media:media-3', contentType: 'audio/ogg; codecs=opus' }]],
    ['a location', { type: 'location', location: { latitude: -6.2, longitude: 106.816666, name: 'Monas' } }, 'geo:-6.2,106.816666', []],
    ['a tapped reply button', { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Ya, sudah' } } }, 'Ya, sudah', []],
    ['a chosen list row', { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'r2', title: 'Refund', description: 'x' } } }, 'Refund', []],
  ])('carries %s', async (_case, message, text, attachments) => {
    const value = textMessageValue(WA_ID, 'unused', { text: undefined, ...message, context: { from: '6281100000000', id: 'wamid.QUOTED' } });
    expect((await post(body(value))).statusCode).toBe(202);
    const [job] = await inboundJobs();
    expect(job?.text).toBe(text);
    expect(job?.attachments).toEqual(attachments);
  });

  it.each([
    ['a body with only statuses', body(statusValue('wamid.UNKNOWN', 'delivered', WA_ID))],
    ['a sticker', body(textMessageValue(WA_ID, 'x', { type: 'sticker', text: undefined, sticker: { id: 'st', mime_type: 'image/webp' } }))],
    ['a message to another number of the same Meta app', whatsappWebhookBody('999999999', textMessageValue(WA_ID, 'Salah nomor'))],
    ['an account update', { object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'account_update', value: { event: 'VERIFIED_ACCOUNT' } }] }] }],
  ])('answers %s with 200 ignored and enqueues nothing', async (_case, payload) => {
    const res = await post(payload);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ignored' });
    expect(await inboundJobs()).toHaveLength(0);
  });

  it.each([
    ['the signature header is missing', () => ({}), 'missing_signature'],
    ['the signature is of another secret', (raw: string) => ({ 'x-hub-signature-256': hubSignature(raw, `${APP_SECRET}x`) }), 'invalid_signature'],
    ['the signature is of another body', (raw: string) => ({ 'x-hub-signature-256': hubSignature(`${raw} `, APP_SECRET) }), 'invalid_signature'],
    ['the signature lacks its sha256= prefix', (raw: string) => ({ 'x-hub-signature-256': hubSignature(raw, APP_SECRET).slice(7) }), 'invalid_signature'],
  ])('refuses with 401 when %s, and enqueues nothing', async (_case, headersFor, code) => {
    const raw = JSON.stringify(body(textMessageValue(WA_ID, 'Halo')));
    const res = await post(raw, headersFor(raw));
    await expectRefusedQueuingNothing(res, 401, code, inboundJobs);
  });

  it.each([
    ['the body is not JSON', '{"object": ', 'invalid_json'],
    ['there is no entry', JSON.stringify({ object: 'whatsapp_business_account' }), 'validation_failed'],
    ['a message has no id', JSON.stringify(body({ messages: [{ from: WA_ID, timestamp: '1', type: 'text', text: { body: 'x' } }] })), 'validation_failed'],
  ])('refuses with 400 when %s, and enqueues nothing', async (_case, raw, code) => {
    const res = await post(raw);
    await expectRefusedQueuingNothing(res, 400, code, inboundJobs);
  });

  it('moves a sent reply forward on its statuses, never back, and tells the inbox each time', async () => {
    const seeded = await seedReply(db, tenant.id, channelId, { teamId: tenant.teamId, assigneeId: tenant.users.agent1!.id });
    const wamid = `wamid.SENT${randomUUID().replaceAll('-', '')}`;
    await db.updateTable('messages').set({ status: 'sent', external_id: wamid }).where('id', '=', seeded.messageId).execute();
    const statusOf = async () => (await db.selectFrom('messages').select('status').where('id', '=', seeded.messageId).executeTakeFirstOrThrow()).status;

    expect((await post(body(statusValue(wamid, 'delivered', WA_ID)))).json()).toEqual({ status: 'ignored' });
    expect(await statusOf()).toBe('delivered');
    await post(body(statusValue(wamid, 'read', WA_ID)));
    expect(await statusOf()).toBe('read');
    await post(body(statusValue(wamid, 'delivered', WA_ID)));
    await post(body(statusValue(wamid, 'failed', WA_ID)));
    expect(await statusOf()).toBe('read');

    await waitFor(async () => (gateway.scope.events.filter((e) => e.type === 'message.updated').length >= 2 ? true : undefined), 'two message.updated');
    expect(gateway.scope.events.filter((e) => e.type === 'message.updated').map((e) => ({ ...e.data, audience: e.audience }))).toEqual([
      { id: seeded.messageId, conversationId: seeded.conversationId, status: 'delivered', audience: { teamId: tenant.teamId, userIds: [tenant.users.agent1!.id] } },
      { id: seeded.messageId, conversationId: seeded.conversationId, status: 'read', audience: { teamId: tenant.teamId, userIds: [tenant.users.agent1!.id] } },
    ]);
    expect(await inboundJobs()).toHaveLength(0);
  });

  it('fails a sent reply on a failed status', async () => {
    const seeded = await seedReply(db, tenant.id, channelId, { teamId: tenant.teamId });
    const wamid = `wamid.FAIL${randomUUID().replaceAll('-', '')}`;
    await db.updateTable('messages').set({ status: 'sent', external_id: wamid }).where('id', '=', seeded.messageId).execute();

    expect((await post(body(statusValue(wamid, 'failed', WA_ID)))).statusCode).toBe(200);
    expect((await db.selectFrom('messages').select('status').where('id', '=', seeded.messageId).executeTakeFirstOrThrow()).status).toBe('failed');
  });
});
