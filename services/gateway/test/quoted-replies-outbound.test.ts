import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { DB, Kysely } from '@sapa/db';
import type { QueueName, Redis } from '@sapa/queue';
import { createApiChannel, type TestTenant } from '@sapa/test-support';
import { startFakeGraphApi, type FakeGraphApi } from '../../../tests/support/fakes/graph-api.js';
import { startFakeTelegramBotApi, type FakeTelegramBotApi } from '../../../tests/support/fakes/telegram-bot-api.js';
import type { AttachmentAccess } from '../src/channels/channel-adapter.js';
import { botCallsFor } from '../src/channels/telegram/bot-calls.js';
import { uploadCallOf } from '../src/channels/telegram/upload-form.js';
import { startCallbackServer, type CallbackServer } from './helpers/callback-server.js';
import { insertChannel } from './helpers/channel-rows.js';
import { enqueueDelivery, outboundPerTest, settled } from './helpers/outbound-harness.js';
import { seedReply, type SeededReply } from './helpers/seed-reply.js';
import { closeTestStores, openTestStores } from './helpers/test-stores.js';

// An agent's reply to a particular message goes out as a quote where the channel has a documented way to say so, and
// plain where it has none or the quoted message never reached the channel.

const PHONE_NUMBER_ID = '106540352242922';
const PAGE_ID = '108273645517720';
const BOT_TOKEN = '7654321:AAF-quoted-outbound-token-abcdefghij';

let db: Kysely<DB>;
let redis: Redis;
let tenant: TestTenant;
let graph: FakeGraphApi;
let telegram: FakeTelegramBotApi;
let callback: CallbackServer;
const channelIds: Record<'whatsapp_cloud' | 'telegram' | 'messenger' | 'api', string> = { whatsapp_cloud: '', telegram: '', messenger: '', api: '' };

beforeAll(async () => {
  ({ db, redis, tenant } = await openTestStores());
  graph = await startFakeGraphApi();
  telegram = await startFakeTelegramBotApi();
  let apiSecret = '';
  callback = await startCallbackServer(() => apiSecret);
  channelIds.whatsapp_cloud = await insertChannel(db, tenant.id, {
    type: 'whatsapp_cloud',
    config: { phoneNumberId: PHONE_NUMBER_ID, graphApiBase: graph.url },
    secrets: { accessToken: `EAAG${randomUUID().replaceAll('-', '')}`, appSecret: 's', verifyToken: 'v' },
  });
  channelIds.telegram = await insertChannel(db, tenant.id, { type: 'telegram', config: { apiBase: telegram.url }, secrets: { botToken: BOT_TOKEN, secretToken: 's' } });
  channelIds.messenger = await insertChannel(db, tenant.id, {
    type: 'messenger',
    config: { pageId: PAGE_ID, graphApiBase: graph.url },
    secrets: { pageAccessToken: `EAAG${randomUUID().replaceAll('-', '')}`, appSecret: 's', verifyToken: 'v' },
  });
  const api = await createApiChannel(db, tenant.id, { callbackUrl: callback.url });
  apiSecret = api.secret;
  channelIds.api = api.id;
});

afterAll(async () => {
  await Promise.all([graph.close(), telegram.close(), callback.close()]);
  await closeTestStores({ db, redis });
});

const outbound = outboundPerTest(() => ({ db, redis }), 'outbound.whatsapp_cloud', 'outbound.telegram', 'outbound.messenger', 'outbound.api');

beforeEach(() => {
  graph.requests.length = 0;
  telegram.requests.length = 0;
  callback.received = [];
});

interface Quoted {
  direction: 'in' | 'out';
  externalId: string | null;
  text?: string;
}

/**
 * An agent's reply on `type` to the customer `customerId`, answering an earlier message of the conversation (as the
 * inbox API stores it: messages.reply_to_message_id), sent by the channel's worker; resolves once it settled.
 */
async function replyTo(type: keyof typeof channelIds, customerId: string, quoted: Quoted, text = 'Baik, sudah kami terima.') {
  const seeded: SeededReply = await seedReply(db, tenant.id, channelIds[type], { teamId: tenant.teamId, assigneeId: tenant.users.agent1!.id, externalId: customerId, text });
  const earlier = await db
    .insertInto('messages')
    .values({
      tenant_id: tenant.id,
      conversation_id: seeded.conversationId,
      channel_id: channelIds[type],
      direction: quoted.direction,
      author_type: quoted.direction === 'in' ? 'contact' : 'agent',
      text: quoted.text ?? 'Bukti transfer sudah saya kirim',
      status: quoted.direction === 'in' ? 'received' : quoted.externalId ? 'sent' : 'failed',
      external_id: quoted.externalId,
      created_at: new Date(Date.now() - 60_000),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.updateTable('messages').set({ reply_to_message_id: earlier.id }).where('id', '=', seeded.messageId).execute();
  await enqueueDelivery(outbound.scope.producer, `outbound.${type}` as QueueName & `outbound.${string}`, tenant.id, seeded);
  return { seeded, quotedId: earlier.id, outcome: await settled(db, tenant.id, seeded) };
}

describe('a reply to a particular message', () => {
  it('on WhatsApp Cloud carries context.message_id, the quoted message’s wamid', async () => {
    const waId = `628${randomInt(100_000_000, 999_999_999)}`;
    const { outcome } = await replyTo('whatsapp_cloud', waId, { direction: 'in', externalId: 'wamid.CUSTOMER-QUESTION' });
    expect(outcome).toMatchObject({ delivery: 'sent' });
    expect(graph.messageSends().map((r) => r.body)).toEqual([
      expect.objectContaining({ to: waId, context: { message_id: 'wamid.CUSTOMER-QUESTION' }, type: 'text', text: { body: 'Baik, sudah kami terima.' } }),
    ]);
  });

  it('on WhatsApp Cloud goes plain when the quoted message never reached WhatsApp', async () => {
    const { outcome } = await replyTo('whatsapp_cloud', `628${randomInt(100_000_000, 999_999_999)}`, { direction: 'out', externalId: null });
    expect(outcome).toMatchObject({ delivery: 'sent' });
    expect(graph.messageSends()[0]!.body).not.toHaveProperty('context');
  });

  it('on Telegram carries reply_parameters with the quoted message_id, and keeps the id of what it sent as customers’ ids are kept', async () => {
    const chatId = randomInt(100_000_000, 9_000_000_000);
    const { outcome } = await replyTo('telegram', String(chatId), { direction: 'in', externalId: `${chatId}/40` });
    expect(outcome).toMatchObject({ delivery: 'sent' });
    const [call] = telegram.calls('sendMessage');
    expect(call!.body).toEqual({ chat_id: chatId, text: 'Baik, sudah kami terima.', reply_parameters: { message_id: 40, allow_sending_without_reply: true } });
    expect(outcome.externalId).toMatch(new RegExp(`^${chatId}/\\d+$`));
  });

  it('on Telegram quotes from the first call only, and an upload form carries reply_parameters as JSON', async () => {
    const file = { id: randomUUID(), url: 'sapa-attachment:x', contentType: 'image/png' };
    const calls = botCallsFor({ text: 'x'.repeat(2000), attachments: [file] }, 42, 40);
    expect(calls.map((c) => c.body.reply_parameters)).toEqual([{ message_id: 40, allow_sending_without_reply: true }, undefined]);
    const stored: AttachmentAccess = {
      read: async () => ({ body: Buffer.from('png'), contentType: 'image/png', size: 3 }),
      signedUrl: () => 'http://127.0.0.1:9/never',
    };
    const photoFirst = botCallsFor({ text: 'Ini buktinya', attachments: [file] }, 42, 40)[0]!;
    const { form } = await uploadCallOf(photoFirst, stored);
    expect(JSON.parse(form.get('reply_parameters') as string)).toEqual({ message_id: 40, allow_sending_without_reply: true });
  });

  it('on Telegram goes plain when the quoted id is of another chat', async () => {
    const chatId = randomInt(100_000_000, 9_000_000_000);
    await replyTo('telegram', String(chatId), { direction: 'in', externalId: `${chatId + 1}/40` });
    expect(telegram.calls('sendMessage')[0]!.body).not.toHaveProperty('reply_parameters');
  });

  it('on Messenger goes plain: the Send API documents no reply field Sapa could check', async () => {
    const psid = String(randomInt(1_000_000_000, 9_000_000_000));
    // The customer wrote just now: inside the 24-hour window, so the reply is a RESPONSE.
    const { outcome } = await replyTo('messenger', psid, { direction: 'in', externalId: `m_${randomUUID()}` });
    expect(outcome).toMatchObject({ delivery: 'sent' });
    const [send] = graph.messageSends();
    expect(send!.body).toEqual({ recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: 'Baik, sudah kami terima.' } });
  });

  it('on the API channel names the quoted message in the callback by the id the integrator knows it by', async () => {
    await replyTo('api', 'cust-q1', { direction: 'in', externalId: 'crm-msg-7' });
    const { quotedId } = await replyTo('api', 'cust-q2', { direction: 'out', externalId: null });
    expect(callback.received.map((r) => (r.body as { replyTo?: unknown }).replyTo)).toEqual([{ messageId: 'crm-msg-7' }, { messageId: quotedId }]);
  });
});
