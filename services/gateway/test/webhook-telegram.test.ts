import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { InboundMessage } from '@sapa/contracts';
import type { DB, Kysely } from '@sapa/db';
import { QUEUES, type Redis } from '@sapa/queue';
import { createApiChannel } from '@sapa/test-support';
import { privateMessageUpdate } from '../../../tests/support/fakes/telegram-bot-api.js';
import { insertChannel } from './helpers/channel-rows.js';
import { expectRefusedQueuingNothing } from './helpers/expect-refused.js';
import { queuedJobs } from './helpers/queued-jobs.js';
import { gatewayPerTest } from './helpers/test-gateway.js';
import { closeTestStores, openTestStores } from './helpers/test-stores.js';

const NOW = new Date('2030-01-02T03:04:05.000Z');
const SENT_S = Math.floor(NOW.getTime() / 1000) - 3;
const CHAT_ID = 5_123_456_789;

let db: Kysely<DB>;
let redis: Redis;
let tenantId: string;
let channelId: string;
let otherChannelId: string;
let apiChannelId: string;
const SECRET = `sec_${randomUUID().replaceAll('-', '')}`;
const OTHER_SECRET = `sec_${randomUUID().replaceAll('-', '')}`;

const insertTelegramChannel = (secretToken: string) =>
  insertChannel(db, tenantId, {
    type: 'telegram',
    name: 'Bot',
    config: { apiBase: 'http://127.0.0.1:9' },
    secrets: { botToken: '123456:AAH-test-token-0123456789abcdefghij', secretToken },
  });

beforeAll(async () => {
  const stores = await openTestStores({});
  ({ db, redis } = stores);
  tenantId = stores.tenant.id;
  channelId = await insertTelegramChannel(SECRET);
  otherChannelId = await insertTelegramChannel(OTHER_SECRET);
  apiChannelId = (await createApiChannel(db, tenantId)).id;
});

afterAll(() => closeTestStores({ db, redis }));

const gateway = gatewayPerTest(() => ({ db, redis }), { now: () => NOW }, 'inbound');

function post(payload: unknown, headers: Record<string, string> = { 'x-telegram-bot-api-secret-token': SECRET }, id = channelId) {
  const raw = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return gateway.app.inject({ method: 'POST', url: `/webhooks/telegram/${id}`, headers: { 'content-type': 'application/json', ...headers }, payload: raw });
}

const inboundJobs = () => queuedJobs<InboundMessage>(gateway.scope.producer, 'inbound');

const update = (message: Record<string, unknown> = {}, updateId?: number) => privateMessageUpdate(CHAT_ID, { date: SENT_S, ...message }, updateId);

describe('POST /webhooks/telegram/:channelId', () => {
  it('accepts an update carrying the channel secret token with 202, as one normalised message from the private chat', async () => {
    const res = await post(update({ message_id: 77, text: 'Saldo saya belum masuk' }, 9001));

    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ status: 'accepted' });
    const expected: InboundMessage = {
      tenantId,
      channelId,
      channelType: 'telegram',
      externalMessageId: `${CHAT_ID}/77`,
      from: { externalId: String(CHAT_ID), name: 'Budi Santoso' },
      text: 'Saldo saya belum masuk',
      attachments: [],
      sentAt: new Date(SENT_S * 1000).toISOString(),
      receivedAt: NOW.toISOString(),
    };
    expect(await inboundJobs()).toEqual([{ id: QUEUES.inbound.jobId(expected), data: expected }]);
  });

  it('enqueues a redelivered update once and answers the second delivery 200 duplicate', async () => {
    const same = update({ message_id: 78 }, 9002);
    expect((await post(same)).statusCode).toBe(202);

    const again = await post(same);

    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ status: 'duplicate' });
    expect(await inboundJobs()).toHaveLength(1);
  });

  it('takes an edit of a message as a new message of its own', async () => {
    expect((await post(update({ message_id: 79, text: 'Saldo 50rb' }, 9003))).statusCode).toBe(202);
    const edited = { update_id: 9004, edited_message: { ...(update({ message_id: 79, text: 'Saldo 500rb' }).message as object), edit_date: SENT_S + 60 } };

    expect((await post(edited)).statusCode).toBe(202);

    const jobs = (await inboundJobs()).map((j) => j.data).sort((a, b) => a.externalMessageId.localeCompare(b.externalMessageId));
    expect(jobs.map((m) => [m.externalMessageId, m.text, m.sentAt])).toEqual([
      [`${CHAT_ID}/79`, 'Saldo 50rb', new Date(SENT_S * 1000).toISOString()],
      [`${CHAT_ID}/79/edit/${SENT_S + 60}`, 'Saldo 500rb', new Date((SENT_S + 60) * 1000).toISOString()],
    ]);
  });

  it('turns a photo with a caption into text and an attachment of the largest size, left with Telegram as telegram-file:<file_id>', async () => {
    const photo = [
      { file_id: 'small-id', file_unique_id: 's', width: 90, height: 60 },
      { file_id: 'large-id', file_unique_id: 'l', width: 1280, height: 853 },
    ];
    const res = await post(update({ text: undefined, photo, caption: 'Foto struk transfer' }));

    expect(res.statusCode).toBe(202);
    const [job] = await inboundJobs();
    expect(job?.data.text).toBe('Foto struk transfer');
    expect(job?.data.attachments).toEqual([{ url: 'telegram-file:large-id', contentType: 'image/jpeg' }]);
  });

  it.each([
    [
      'a document',
      { document: { file_id: 'doc-1', file_unique_id: 'd', file_name: 'mutasi.pdf', mime_type: 'application/pdf' } },
      [{ url: 'telegram-file:doc-1', contentType: 'application/pdf', filename: 'mutasi.pdf' }],
    ],
    ['a voice note', { voice: { file_id: 'voice-1', file_unique_id: 'v', duration: 4, mime_type: 'audio/ogg' } }, [{ url: 'telegram-file:voice-1', contentType: 'audio/ogg' }]],
    [
      'an audio file without a mime type',
      { audio: { file_id: 'audio-1', file_unique_id: 'a', duration: 30, file_name: 'rekaman.mp3' } },
      [{ url: 'telegram-file:audio-1', contentType: 'audio/mpeg', filename: 'rekaman.mp3' }],
    ],
    ['a video note', { video_note: { file_id: 'vn-1', file_unique_id: 'n', length: 240, duration: 5 } }, [{ url: 'telegram-file:vn-1', contentType: 'video/mp4' }]],
  ])('carries %s as an attachment with no text', async (_case, media, attachments) => {
    expect((await post(update({ text: undefined, ...media }))).statusCode).toBe(202);
    const [job] = await inboundJobs();
    expect(job?.data.text).toBeUndefined();
    expect(job?.data.attachments).toEqual(attachments);
  });

  it('writes a shared location as a geo: URI', async () => {
    expect((await post(update({ text: undefined, location: { latitude: -6.2, longitude: 106.816666 } }))).statusCode).toBe(202);
    const [job] = await inboundJobs();
    expect(job?.data).toMatchObject({ text: 'geo:-6.2,106.816666', attachments: [] });
  });

  it('names the customer by first name alone when there is no last name', async () => {
    const from = { id: CHAT_ID, is_bot: false, first_name: 'Siti', username: 'siti_ayu' };
    expect((await post(update({ from }))).statusCode).toBe(202);
    expect((await inboundJobs())[0]?.data.from).toEqual({ externalId: String(CHAT_ID), name: 'Siti' });
  });

  it.each([
    ['a callback query', { update_id: 9100, callback_query: { id: 'cb-1', from: { id: CHAT_ID, is_bot: false, first_name: 'Budi' }, chat_instance: 'x', data: 'yes' } }],
    ['a message in a group', { update_id: 9101, message: { message_id: 1, date: SENT_S, chat: { id: -1001234, type: 'supergroup', title: 'Pelanggan' }, text: 'Halo semua' } }],
    ['a post in a channel the bot runs', { update_id: 9102, channel_post: { message_id: 2, date: SENT_S, chat: { id: -1005678, type: 'channel', title: 'Promo' }, text: 'Diskon' } }],
    ['a sticker alone', { update_id: 9103, message: { ...(privateMessageUpdate(CHAT_ID).message as object), text: undefined, sticker: { file_id: 'st-1', type: 'regular' } } }],
  ])('answers %s with 200 ignored and enqueues nothing', async (_case, body) => {
    const res = await post(body);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ignored' });
    expect(await inboundJobs()).toHaveLength(0);
  });

  it.each([
    ['the secret token header is missing', {}, 'missing_signature'],
    ['the secret token is wrong', { 'x-telegram-bot-api-secret-token': `${SECRET}x` }, 'invalid_signature'],
    ['the secret token is a prefix of the right one', { 'x-telegram-bot-api-secret-token': SECRET.slice(0, 10) }, 'invalid_signature'],
    ["it carries another channel's secret token", { 'x-telegram-bot-api-secret-token': OTHER_SECRET }, 'invalid_signature'],
  ])('refuses with 401 when %s, and enqueues nothing', async (_case, headers, code) => {
    const res = await post(update(), headers as Record<string, string>);
    await expectRefusedQueuingNothing(res, 401, code, inboundJobs);
  });

  it('checks the secret token before the body: a malformed body without the token gets 401, not 400', async () => {
    const res = await post('{not json', {});
    expect(res.statusCode).toBe(401);
  });

  it.each([
    ['the body is not JSON', '{"update_id": 1, ', 'invalid_json'],
    ['the body is empty', '', 'invalid_json'],
    ['there is no update_id', JSON.stringify({ message: privateMessageUpdate(CHAT_ID).message }), 'validation_failed'],
    ['update_id is not an integer', JSON.stringify({ ...privateMessageUpdate(CHAT_ID), update_id: 'abc' }), 'validation_failed'],
    ['the message has no chat', JSON.stringify({ update_id: 9200, message: { message_id: 1, date: SENT_S, text: 'x' } }), 'validation_failed'],
  ])('refuses with 400 when %s, and enqueues nothing', async (_case, raw, code) => {
    const res = await post(raw);
    await expectRefusedQueuingNothing(res, 400, code, inboundJobs);
  });

  it.each([
    ['no channel has the id', () => randomUUID()],
    ['the id is not a uuid', () => 'not-a-uuid'],
    ['the channel is not a telegram channel', () => apiChannelId],
  ])('answers 404 channel_not_found when %s, and enqueues nothing', async (_case, id) => {
    const res = await post(update(), { 'x-telegram-bot-api-secret-token': SECRET }, id());
    await expectRefusedQueuingNothing(res, 404, 'channel_not_found', inboundJobs);
  });

  it('treats the same message on two bots as two messages', async () => {
    const same = update({ message_id: 80 }, 9300);
    expect((await post(same)).statusCode).toBe(202);
    expect((await post(same, { 'x-telegram-bot-api-secret-token': OTHER_SECRET }, otherChannelId)).statusCode).toBe(202);
    expect(await inboundJobs()).toHaveLength(2);
  });
});
