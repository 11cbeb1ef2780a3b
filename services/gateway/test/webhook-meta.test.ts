import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import type { InboundMessage } from '@sapa/contracts';
import type { DB, Kysely } from '@sapa/db';
import type { Redis } from '@sapa/queue';
import { createApiChannel, type TestTenant } from '@sapa/test-support';
import { hubSignature } from '../../../tests/support/fakes/graph-api.js';
import {
  customerMessageEvent,
  deliveryEvent,
  echoEvent,
  messagingWebhookBody,
  postbackEvent,
  readEvent,
  seenEvent,
} from '../../../tests/support/fakes/messenger-webhooks.js';
import { insertChannel } from './helpers/channel-rows.js';
import { expectRefusedQueuingNothing } from './helpers/expect-refused.js';
import { queuedJobs } from './helpers/queued-jobs.js';
import { seedReply } from './helpers/seed-reply.js';
import { postHubSigned } from './helpers/signed-requests.js';
import { gatewayPerTest } from './helpers/test-gateway.js';
import { closeTestStores, openTestStores } from './helpers/test-stores.js';
import { waitFor } from './helpers/wait-for.js';

const NOW = new Date('2030-01-02T03:04:05.000Z');
const PAGE_ID = '108273645517720';
const IG_ACCOUNT_ID = '17841400000000001';
const PSID = '6543210987654321';
const IGSID = '1122334455667788';
const APP_SECRET = `appsecret${randomUUID().replaceAll('-', '')}`;
const VERIFY_TOKEN = `verify-${randomUUID()}`;

let db: Kysely<DB>;
let redis: Redis;
let tenant: TestTenant;
let messengerId: string;
let instagramId: string;
let apiChannelId: string;

const insertPageChannel = (type: 'messenger' | 'instagram', config: Record<string, unknown>) =>
  insertChannel(db, tenant.id, {
    type,
    config: { pageId: PAGE_ID, graphApiBase: 'http://127.0.0.1:9/v21.0', ...config },
    secrets: { pageAccessToken: 'EAAG-test-page-token-0123456789', appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN },
  });

beforeAll(async () => {
  ({ db, redis, tenant } = await openTestStores());
  messengerId = await insertPageChannel('messenger', {});
  instagramId = await insertPageChannel('instagram', { instagramAccountId: IG_ACCOUNT_ID });
  apiChannelId = (await createApiChannel(db, tenant.id)).id;
});

afterAll(() => closeTestStores({ db, redis }));

const gateway = gatewayPerTest(() => ({ db, redis }), { now: () => NOW }, 'inbound');

const post = (id: string, payload: unknown, headers?: Record<string, string>) => postHubSigned(gateway.app, `/webhooks/meta/${id}`, payload, APP_SECRET, headers);

async function inboundJobs(): Promise<InboundMessage[]> {
  return (await queuedJobs<InboundMessage>(gateway.scope.producer, 'inbound')).map((job) => job.data);
}

const page = (...evs: Record<string, unknown>[]) => messagingWebhookBody('page', PAGE_ID, evs);
const insta = (...evs: Record<string, unknown>[]) => messagingWebhookBody('instagram', IG_ACCOUNT_ID, evs);

describe('GET /webhooks/meta/:channelId (Meta verification handshake)', () => {
  it.each([
    ['messenger', () => messengerId],
    ['instagram', () => instagramId],
  ])("echoes hub.challenge for a %s channel when the verify token is the channel's", async (_type, id) => {
    const res = await gateway.app.inject({ method: 'GET', url: `/webhooks/meta/${id()}`, query: { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '4711' } });
    expect([res.statusCode, res.body]).toEqual([200, '4711']);
  });

  it('refuses a wrong verify token with 403 handshake_refused', async () => {
    const res = await gateway.app.inject({ method: 'GET', url: `/webhooks/meta/${messengerId}`, query: { 'hub.mode': 'subscribe', 'hub.verify_token': 'nope-nope', 'hub.challenge': '1' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('handshake_refused');
  });

  it.each([
    ['no channel has the id', () => randomUUID()],
    ['the channel is not a messenger or instagram channel', () => apiChannelId],
  ])('answers 404 channel_not_found when %s', async (_case, id) => {
    const res = await gateway.app.inject({ method: 'GET', url: `/webhooks/meta/${id()}`, query: { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1' } });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('channel_not_found');
  });
});

describe('POST /webhooks/meta/:channelId on a messenger channel', () => {
  it("accepts a signed text message with 202, as one normalised message from the customer's PSID", async () => {
    const sentAt = NOW.getTime() - 2_000;
    const res = await post(messengerId, page(customerMessageEvent(PSID, PAGE_ID, { mid: 'm_ONE', text: 'Pesanan saya belum sampai' }, sentAt)));

    expect(res.statusCode).toBe(202);
    expect(await inboundJobs()).toEqual([
      {
        tenantId: tenant.id,
        channelId: messengerId,
        channelType: 'messenger',
        externalMessageId: 'm_ONE',
        from: { externalId: PSID },
        text: 'Pesanan saya belum sampai',
        attachments: [],
        sentAt: new Date(sentAt).toISOString(),
        receivedAt: NOW.toISOString(),
      },
    ]);
  });

  it('enqueues the same mid once, answering the redelivery 200 duplicate', async () => {
    const same = page(customerMessageEvent(PSID, PAGE_ID));
    expect((await post(messengerId, same)).statusCode).toBe(202);
    const again = await post(messengerId, same);
    expect([again.statusCode, again.json()]).toEqual([200, { status: 'duplicate' }]);
    expect(await inboundJobs()).toHaveLength(1);
  });

  it.each([
    [
      'an image, a video, a voice clip and a file',
      {
        text: undefined,
        attachments: [
          { type: 'image', payload: { url: 'https://scontent.xx.fbcdn.net/v/t1/struk.jpg?oh=1' } },
          { type: 'video', payload: { url: 'https://video.xx.fbcdn.net/v/t42/klip.mp4' } },
          { type: 'audio', payload: { url: 'https://cdn.fbsbx.com/v/t59/audioclip.mp4' } },
          { type: 'file', payload: { url: 'https://cdn.fbsbx.com/v/t59/mutasi.pdf' } },
        ],
      },
      undefined,
      [
        { url: 'https://scontent.xx.fbcdn.net/v/t1/struk.jpg?oh=1', contentType: 'image/jpeg' },
        { url: 'https://video.xx.fbcdn.net/v/t42/klip.mp4', contentType: 'video/mp4' },
        { url: 'https://cdn.fbsbx.com/v/t59/audioclip.mp4', contentType: 'audio/mp4' },
        { url: 'https://cdn.fbsbx.com/v/t59/mutasi.pdf', contentType: 'application/octet-stream' },
      ],
    ],
    ['a tapped quick reply, as the words on it', { text: 'Sudah transfer', quick_reply: { payload: 'PAID_YES' } }, 'Sudah transfer', []],
    ['a reply to an earlier message', { text: 'Yang ini', reply_to: { mid: 'm_EARLIER' } }, 'Yang ini', []],
    ['a shared template beside words, keeping the words', { text: 'Lihat ini', attachments: [{ type: 'template', payload: { generic: {} } }] }, 'Lihat ini', []],
  ])('carries %s', async (_case, message, text, attachments) => {
    expect((await post(messengerId, page(customerMessageEvent(PSID, PAGE_ID, message)))).statusCode).toBe(202);
    const [job] = await inboundJobs();
    expect(job?.text).toBe(text);
    expect(job?.attachments).toEqual(attachments);
  });

  it('takes a postback as the title of the tapped button', async () => {
    const event = postbackEvent(PSID, PAGE_ID, 'Hubungi CS', 'CONTACT_CS');
    expect((await post(messengerId, page(event))).statusCode).toBe(202);
    const [job] = await inboundJobs();
    expect(job).toMatchObject({ externalMessageId: (event.postback as { mid: string }).mid, from: { externalId: PSID }, text: 'Hubungi CS' });
  });

  it('takes every customer message of a body with several events and entries', async () => {
    const body = page(customerMessageEvent(PSID, PAGE_ID, { text: 'Satu' }), customerMessageEvent('999', PAGE_ID, { text: 'Dua' }));
    const two = { ...body, entry: [...(body.entry as object[]), ...(page(customerMessageEvent(PSID, PAGE_ID, { text: 'Tiga' })).entry as object[])] };
    expect((await post(messengerId, two)).statusCode).toBe(202);
    expect((await inboundJobs()).map((m) => m.text).sort()).toEqual(['Dua', 'Satu', 'Tiga']);
  });

  it.each([
    ["an echo of the Page's own message", page(echoEvent(PAGE_ID, PSID, 'Baik, kami cek'))],
    ['a message to another Page of the same Meta app', messagingWebhookBody('page', '999999999', [customerMessageEvent(PSID, '999999999')])],
    ['an Instagram body sent to a Messenger URL', insta(customerMessageEvent(IGSID, IG_ACCOUNT_ID))],
    ['a delivery and a read only', page(deliveryEvent(PSID, PAGE_ID, ['m_UNKNOWN']), readEvent(PSID, PAGE_ID, NOW.getTime()))],
    ['a sticker-only message Sapa does not take', page(customerMessageEvent(PSID, PAGE_ID, { text: undefined, attachments: [{ type: 'fallback', payload: {} }] }))],
    ['a Page feed change without messaging', { object: 'page', entry: [{ id: PAGE_ID, time: 1, changes: [{ field: 'feed', value: {} }] }] }],
  ])('answers %s with 200 ignored and enqueues nothing', async (_case, payload) => {
    const res = await post(messengerId, payload);
    expect([res.statusCode, res.json()]).toEqual([200, { status: 'ignored' }]);
    expect(await inboundJobs()).toHaveLength(0);
  });

  it.each([
    ['the signature header is missing', () => ({}), 'missing_signature'],
    ['the signature is of another secret', (raw: string) => ({ 'x-hub-signature-256': hubSignature(raw, `${APP_SECRET}x`) }), 'invalid_signature'],
    ['the signature is of another body', (raw: string) => ({ 'x-hub-signature-256': hubSignature(`${raw} `, APP_SECRET) }), 'invalid_signature'],
  ])('refuses with 401 when %s, and enqueues nothing', async (_case, headersFor, code) => {
    const raw = JSON.stringify(page(customerMessageEvent(PSID, PAGE_ID)));
    const res = await post(messengerId, raw, headersFor(raw));
    await expectRefusedQueuingNothing(res, 401, code, inboundJobs);
  });

  it.each([
    ['the body is not JSON', '{"object": "page", ', 'invalid_json'],
    ['there is no entry', JSON.stringify({ object: 'page' }), 'validation_failed'],
    ['an event has no sender', JSON.stringify(page({ recipient: { id: PAGE_ID }, timestamp: 1, message: { mid: 'm_1', text: 'x' } })), 'validation_failed'],
    ['a message has no mid', JSON.stringify(page({ sender: { id: PSID }, recipient: { id: PAGE_ID }, timestamp: 1, message: { text: 'x' } })), 'validation_failed'],
  ])('refuses with 400 when %s, and enqueues nothing', async (_case, raw, code) => {
    const res = await post(messengerId, raw);
    await expectRefusedQueuingNothing(res, 400, code, inboundJobs);
  });

  it('answers 404 channel_not_found for an unknown channel, before reading the body', async () => {
    const res = await post(randomUUID(), '{not json');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('channel_not_found');
  });

  it('marks replies delivered by their mids, then read up to the watermark, and tells the inbox', async () => {
    const seeded = await seedReply(db, tenant.id, messengerId, { teamId: tenant.teamId, assigneeId: tenant.users.agent1!.id });
    const sentAt = new Date(Date.now() - 60_000);
    const mid = `m_SENT${randomUUID().replaceAll('-', '')}`;
    await db.updateTable('messages').set({ status: 'sent', external_id: mid, sent_at: sentAt }).where('id', '=', seeded.messageId).execute();
    const customer = seeded.externalId;
    const statusOf = async () => (await db.selectFrom('messages').select('status').where('id', '=', seeded.messageId).executeTakeFirstOrThrow()).status;

    expect((await post(messengerId, page(deliveryEvent(customer, PAGE_ID, [mid])))).json()).toEqual({ status: 'ignored' });
    expect(await statusOf()).toBe('delivered');
    // A watermark before the reply went out reads nothing; one after it reads it.
    await post(messengerId, page(readEvent(customer, PAGE_ID, sentAt.getTime() - 60_000)));
    expect(await statusOf()).toBe('delivered');
    await post(messengerId, page(readEvent(customer, PAGE_ID, sentAt.getTime() + 1)));
    expect(await statusOf()).toBe('read');
    await post(messengerId, page(deliveryEvent(customer, PAGE_ID, [mid])));
    expect(await statusOf()).toBe('read');

    await waitFor(async () => (gateway.scope.events.filter((e) => e.type === 'message.updated').length >= 2 ? true : undefined), 'two message.updated');
    expect(gateway.scope.events.filter((e) => e.type === 'message.updated').map((e) => e.data.status)).toEqual(['delivered', 'read']);
  });

  it("reads every reply to that customer up to the watermark, and no other customer's", async () => {
    const first = await seedReply(db, tenant.id, messengerId, { teamId: tenant.teamId });
    const other = await seedReply(db, tenant.id, messengerId, { teamId: tenant.teamId });
    const sentAt = new Date(Date.now() - 30_000);
    for (const id of [first.messageId, other.messageId]) {
      await db.updateTable('messages').set({ status: 'sent', external_id: `m_${randomUUID()}`, sent_at: sentAt }).where('id', '=', id).execute();
    }
    const second = await db
      .insertInto('messages')
      .values({ tenant_id: tenant.id, conversation_id: first.conversationId, channel_id: messengerId, direction: 'out', author_type: 'agent', author_id: null, text: 'Dua', status: 'delivered', external_id: `m_${randomUUID()}`, sent_at: sentAt })
      .returning('id')
      .executeTakeFirstOrThrow();

    await post(messengerId, page(readEvent(first.externalId, PAGE_ID, Date.now())));
    const rows = await db.selectFrom('messages').select(['id', 'status']).where('id', 'in', [first.messageId, second.id, other.messageId]).execute();
    expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({ [first.messageId]: 'read', [second.id]: 'read', [other.messageId]: 'sent' });
  });
});

describe('POST /webhooks/meta/:channelId on an instagram channel', () => {
  it("accepts a signed Instagram message with 202, from the customer's IGSID", async () => {
    const res = await post(instagramId, insta(customerMessageEvent(IGSID, IG_ACCOUNT_ID, { mid: 'aWdfZAG1faXRlbTox', text: 'Ready kak?' })));
    expect(res.statusCode).toBe(202);
    expect(await inboundJobs()).toMatchObject([{ channelId: instagramId, channelType: 'instagram', externalMessageId: 'aWdfZAG1faXRlbTox', from: { externalId: IGSID }, text: 'Ready kak?' }]);
  });

  it.each([
    ["an echo of the account's own message", insta(echoEvent(IG_ACCOUNT_ID, IGSID, 'Ready kak'))],
    ['a message to another Instagram account of the same Meta app', messagingWebhookBody('instagram', '17841499999999999', [customerMessageEvent(IGSID, '17841499999999999')])],
    ['a Messenger body sent to an Instagram URL', page(customerMessageEvent(PSID, PAGE_ID))],
    ['a deleted message', insta(customerMessageEvent(IGSID, IG_ACCOUNT_ID, { is_deleted: true }))],
  ])('answers %s with 200 ignored', async (_case, payload) => {
    const res = await post(instagramId, payload);
    expect([res.statusCode, res.json()]).toEqual([200, { status: 'ignored' }]);
    expect(await inboundJobs()).toHaveLength(0);
  });

  it('takes a seen mid as read for that reply and the ones sent before it', async () => {
    const seeded = await seedReply(db, tenant.id, instagramId, { teamId: tenant.teamId });
    // Written by Postgres, as markDeliverySent does: with microseconds, which a JS Date cannot hold.
    const earlier = sql<Date>`now() - interval '2 minutes'`;
    const later = sql<Date>`now() - interval '1 minute'`;
    const [firstMid, secondMid] = [`ig_${randomUUID()}`, `ig_${randomUUID()}`];
    await db.updateTable('messages').set({ status: 'sent', external_id: firstMid, sent_at: earlier }).where('id', '=', seeded.messageId).execute();
    const second = await db
      .insertInto('messages')
      .values({ tenant_id: tenant.id, conversation_id: seeded.conversationId, channel_id: instagramId, direction: 'out', author_type: 'agent', author_id: null, text: 'Dua', status: 'sent', external_id: secondMid, sent_at: later })
      .returning('id')
      .executeTakeFirstOrThrow();

    await post(instagramId, insta(seenEvent(seeded.externalId, IG_ACCOUNT_ID, firstMid)));
    const statuses = async () => (await db.selectFrom('messages').select(['id', 'status']).where('id', 'in', [seeded.messageId, second.id]).orderBy('sent_at').execute()).map((r) => r.status);
    expect(await statuses()).toEqual(['read', 'sent']);
    await post(instagramId, insta(seenEvent(seeded.externalId, IG_ACCOUNT_ID, secondMid)));
    expect(await statuses()).toEqual(['read', 'read']);
  });
});
