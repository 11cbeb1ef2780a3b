import { describe, expect, it } from '@jest/globals';
import { goOnline } from '../support/agent-session.js';
import { createChannel } from '../support/channel-through-api.js';
import { postSignedWebhook, startFakeGraphApi } from '../support/fakes/graph-api.js';
import { customerMessageEvent, deliveryEvent, echoEvent, messagingWebhookBody, readEvent } from '../support/fakes/messenger-webhooks.js';
import { expectAcceptedOnce, expectHandshakeAnswered, sendApiCalls } from '../support/meta-webhook-checks.js';
import { useStackWith } from '../support/use-stack.js';

const PAGE_ID = '108273645517720';
const PAGE_TOKEN = 'EAAGe2eFakePageAccessToken0123456789abcdef';
const APP_SECRET = 'e2e-messenger-app-secret-0123456789';
const VERIFY_TOKEN = 'e2e-messenger-verify-token';
const PSID = '6543210987654321';

/**
 * issue 7 §Messenger: the whole path through HTTP. An admin creates a messenger channel; Meta checks the webhook URL
 * (handshake) and delivers a customer's signed message, then delivers it again; the router assigns it to the online
 * agent; the agent replies and the Send API (a local fake) receives exactly one text message; the echo of that reply
 * is ignored, and Meta's delivery and read events move the reply to `read`.
 */
describe('a customer message on Messenger reaches the right agent, the reply goes back and is read', () => {
  const world = useStackWith(startFakeGraphApi);

  it('walks the whole path', async () => {
    const { stack, fake: graph, tenant } = world;
    const created = await createChannel(stack, tenant.users.admin!.token, {
      type: 'messenger',
      name: 'Messenger Toko Online',
      config: { pageId: PAGE_ID, pageAccessToken: PAGE_TOKEN, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, graphApiBase: graph.url },
    });
    const webhookUrl = `${stack.gatewayUrl}/webhooks/meta/${created.id}`;
    expect(created.webhookUrl).toBe(webhookUrl);
    await expectHandshakeAnswered(webhookUrl, VERIFY_TOKEN, '2290137');
    const session = await goOnline(stack, tenant.users.agent1!);

    const inbound = messagingWebhookBody('page', PAGE_ID, [customerMessageEvent(PSID, PAGE_ID, { text: 'Paket saya belum sampai' })]);
    await expectAcceptedOnce(webhookUrl, inbound, APP_SECRET);

    const conversation = await session.assignment();
    const reply = await session.reply(conversation.id, { text: 'Baik Kak, kami cek dulu ya.' });
    expect(sendApiCalls(graph)).toEqual([
      {
        path: `/v21.0/${PAGE_ID}/messages`,
        authorization: `Bearer ${PAGE_TOKEN}`,
        body: { recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { text: 'Baik Kak, kami cek dulu ya.' } },
      },
    ]);

    const row = await stack.db.selectFrom('messages').select(['external_id', 'sent_at']).where('id', '=', reply.id).executeTakeFirstOrThrow();
    const echo = messagingWebhookBody('page', PAGE_ID, [echoEvent(PAGE_ID, PSID, 'Baik Kak, kami cek dulu ya.')]);
    expect(await (await postSignedWebhook(webhookUrl, echo, APP_SECRET)).json()).toEqual({ status: 'ignored' });
    const delivered = messagingWebhookBody('page', PAGE_ID, [deliveryEvent(PSID, PAGE_ID, [row.external_id!])]);
    expect((await postSignedWebhook(webhookUrl, delivered, APP_SECRET)).status).toBe(200);
    const read = messagingWebhookBody('page', PAGE_ID, [readEvent(PSID, PAGE_ID, row.sent_at!.getTime())]);
    expect((await postSignedWebhook(webhookUrl, read, APP_SECRET)).status).toBe(200);
    await session.sawStatus(reply.id, 'read');

    expect((await session.transcript(conversation.id)).map((m) => [m.direction, m.status, m.text])).toEqual([
      ['in', 'received', 'Paket saya belum sampai'],
      ['out', 'read', 'Baik Kak, kami cek dulu ya.'],
    ]);
    expect(graph.messageSends()).toHaveLength(1);
    session.close();
  });
});
