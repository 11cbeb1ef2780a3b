import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { InboundMessage } from '@sapa/contracts';
import type { DB, Kysely } from '@sapa/db';
import type { Redis } from '@sapa/queue';
import type { TestTenant } from '@sapa/test-support';
import { textMessageValue, whatsappWebhookBody } from '../../../tests/support/fakes/graph-api.js';
import { customerMessageEvent, messagingWebhookBody } from '../../../tests/support/fakes/messenger-webhooks.js';
import { privateMessageUpdate } from '../../../tests/support/fakes/telegram-bot-api.js';
import type { OpenedChannel } from '../src/channels/channel-adapter.js';
import { parseApiWebhook } from '../src/channels/api/parse.js';
import { parsePageWebhook } from '../src/channels/meta-messaging/parse.js';
import { parseTelegramUpdate } from '../src/channels/telegram/parse.js';
import { parseWhatsappWebhook } from '../src/channels/whatsapp-cloud/parse.js';
import { insertChannel, openChannelRow } from './helpers/channel-rows.js';
import { closeTestStores, openTestStores } from './helpers/test-stores.js';

// Each channel names the message a customer's reply quotes in its own way; the normaliser hands it on as
// InboundMessage.replyToExternalId, in the same form as that channel's externalMessageId, so the router finds it.

const PHONE_NUMBER_ID = '106540352242922';
const PAGE_ID = '108273645517720';
const IG_ACCOUNT_ID = '17841400000000001';
const WA_ID = '6281234567890';
const PSID = '7073515559329750';
const CHAT_ID = 523456789;
const NOW = new Date('2030-01-02T03:04:05.000Z');

let db: Kysely<DB>;
let redis: Redis;
let tenant: TestTenant;
const channels: Record<'whatsapp_cloud' | 'messenger' | 'instagram' | 'telegram' | 'api', OpenedChannel> = {} as never;

beforeAll(async () => {
  ({ db, redis, tenant } = await openTestStores());
  const open = async (type: keyof typeof channels, config: Record<string, unknown>, secrets: Record<string, string>) =>
    (channels[type] = await openChannelRow(db, await insertChannel(db, tenant.id, { type, config, secrets })));
  await open('whatsapp_cloud', { phoneNumberId: PHONE_NUMBER_ID }, { accessToken: 'EAAG-token', appSecret: 's', verifyToken: 'v' });
  await open('messenger', { pageId: PAGE_ID }, { pageAccessToken: 'EAAG-page', appSecret: 's', verifyToken: 'v' });
  await open('instagram', { pageId: PAGE_ID, instagramAccountId: IG_ACCOUNT_ID }, { pageAccessToken: 'EAAG-page', appSecret: 's', verifyToken: 'v' });
  await open('telegram', {}, { botToken: '7654321:AAF-quoted-replies-token', secretToken: 's' });
  await open('api', { callbackUrl: 'http://127.0.0.1:9/callback' }, { signingSecret: 'whsec_quoted' });
});

afterAll(() => closeTestStores({ db, redis }));

const request = (body: unknown) => ({ headers: {}, rawBody: Buffer.from(JSON.stringify(body)) });
const only = (messages: InboundMessage[]): InboundMessage => {
  expect(messages).toHaveLength(1);
  return messages[0]!;
};

describe('a customer’s reply names the message it quotes', () => {
  it('on WhatsApp Cloud, by the wamid of its context', () => {
    const value = textMessageValue(WA_ID, 'Yang ini kak', { id: 'wamid.REPLY', context: { from: '6281100000000', id: 'wamid.QUOTED' } });
    const message = only(parseWhatsappWebhook(request(whatsappWebhookBody(PHONE_NUMBER_ID, value)), channels.whatsapp_cloud, NOW));
    expect(message).toMatchObject({ externalMessageId: 'wamid.REPLY', text: 'Yang ini kak', replyToExternalId: 'wamid.QUOTED' });
  });

  it('on WhatsApp Cloud, not for a forward, whose context names no message', () => {
    const value = textMessageValue(WA_ID, 'Diteruskan', { context: { forwarded: true } });
    const message = only(parseWhatsappWebhook(request(whatsappWebhookBody(PHONE_NUMBER_ID, value)), channels.whatsapp_cloud, NOW));
    expect(message.replyToExternalId).toBeUndefined();
  });

  it('on Messenger, by reply_to.mid', () => {
    const event = customerMessageEvent(PSID, PAGE_ID, { mid: 'm_REPLY', text: 'Yang ini', reply_to: { mid: 'm_EARLIER' } });
    const message = only(parsePageWebhook(request(messagingWebhookBody('page', PAGE_ID, [event])), channels.messenger, NOW));
    expect(message).toMatchObject({ externalMessageId: 'm_REPLY', text: 'Yang ini', replyToExternalId: 'm_EARLIER' });
  });

  it('on Instagram, by reply_to.mid, and not for a reply to a story, which names no message', () => {
    const toMessage = customerMessageEvent(PSID, IG_ACCOUNT_ID, { text: 'Masih ada?', reply_to: { mid: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx' } });
    const toStory = customerMessageEvent(PSID, IG_ACCOUNT_ID, { text: 'Bagus!', reply_to: { story: { url: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1', id: '17900000000000001' } } });
    const [message, story] = parsePageWebhook(request(messagingWebhookBody('instagram', IG_ACCOUNT_ID, [toMessage, toStory])), channels.instagram, NOW);
    expect(message).toMatchObject({ text: 'Masih ada?', replyToExternalId: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx' });
    expect(story).toMatchObject({ text: 'Bagus!' });
    expect(story!.replyToExternalId).toBeUndefined();
  });

  it('on Telegram, by the chat and message_id of reply_to_message, as Telegram messages are stored', () => {
    const update = privateMessageUpdate(CHAT_ID, {
      message_id: 41,
      text: 'Sudah saya transfer',
      reply_to_message: { message_id: 40, from: { id: 7654321, is_bot: true, first_name: 'Sapa Bot' }, chat: { id: CHAT_ID, type: 'private' }, date: 1893553000, text: 'Mohon kirim bukti transfer' },
    });
    const message = only(parseTelegramUpdate(request(update), channels.telegram, NOW));
    expect(message).toMatchObject({ externalMessageId: `${CHAT_ID}/41`, replyToExternalId: `${CHAT_ID}/40` });
  });

  it('on Telegram, not for a message that answers none', () => {
    expect(only(parseTelegramUpdate(request(privateMessageUpdate(CHAT_ID)), channels.telegram, NOW)).replyToExternalId).toBeUndefined();
  });

  it('on the API channel, by the replyToMessageId the integrator gives', () => {
    const body = { messageId: 'crm-2', from: { id: 'cust-1' }, text: 'Jadi bagaimana?', replyToMessageId: 'crm-1' };
    expect(only(parseApiWebhook(request(body), channels.api, NOW))).toMatchObject({ externalMessageId: 'crm-2', replyToExternalId: 'crm-1' });
  });
});
