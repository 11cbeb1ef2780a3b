import { describe, expect, it } from '@jest/globals';
import { goOnline } from '../support/agent-session.js';
import { createChannel } from '../support/channel-through-api.js';
import { postSignedWebhook, startFakeGraphApi } from '../support/fakes/graph-api.js';
import { customerMessageEvent, echoEvent, messagingWebhookBody, seenEvent } from '../support/fakes/messenger-webhooks.js';
import { expectAcceptedOnce, expectHandshakeAnswered, sendApiCalls } from '../support/meta-webhook-checks.js';
import { useStackWith } from '../support/use-stack.js';

const PAGE_ID = '108273645517721';
const IG_ACCOUNT_ID = '17841400000000001';
const PAGE_TOKEN = 'EAAGe2eFakeInstagramPageToken0123456789ab';
const APP_SECRET = 'e2e-instagram-app-secret-0123456789';
const VERIFY_TOKEN = 'e2e-instagram-verify-token';
const IGSID = '1122334455667788';

/**
 * issue 7 §Instagram: the whole path through HTTP. An admin creates an instagram channel for the Page linked to the
 * Instagram account; Meta checks the webhook URL and delivers a customer's direct message (twice: the second is a
 * duplicate); the router assigns it; the agent replies, and the Page's Send API (a local fake) receives exactly one
 * message to the customer's IGSID; Instagram's echo is ignored and its `messaging_seen` marks the reply read.
 */
describe('a customer message on Instagram reaches the right agent, the reply goes back and is seen', () => {
  const world = useStackWith(startFakeGraphApi);

  it('walks the whole path', async () => {
    const { stack, fake: graph, tenant } = world;
    const created = await createChannel(stack, tenant.users.admin!.token, {
      type: 'instagram',
      name: 'Instagram Toko Online',
      config: { pageId: PAGE_ID, pageAccessToken: PAGE_TOKEN, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, graphApiBase: graph.url, instagramAccountId: IG_ACCOUNT_ID },
    });
    const webhookUrl = `${stack.gatewayUrl}/webhooks/meta/${created.id}`;
    expect(created.webhookUrl).toBe(webhookUrl);
    await expectHandshakeAnswered(webhookUrl, VERIFY_TOKEN, '771');
    const session = await goOnline(stack, tenant.users.agent1!);

    const inbound = messagingWebhookBody('instagram', IG_ACCOUNT_ID, [customerMessageEvent(IGSID, IG_ACCOUNT_ID, { text: 'Kak, yang hitam masih ready?' })]);
    await expectAcceptedOnce(webhookUrl, inbound, APP_SECRET);

    const conversation = await session.assignment();
    const reply = await session.reply(conversation.id, { text: 'Masih ready Kak 🙏' });
    expect(sendApiCalls(graph)).toEqual([
      {
        path: `/v21.0/${PAGE_ID}/messages`,
        authorization: `Bearer ${PAGE_TOKEN}`,
        body: { recipient: { id: IGSID }, messaging_type: 'RESPONSE', message: { text: 'Masih ready Kak 🙏' } },
      },
    ]);

    const row = await stack.db.selectFrom('messages').select('external_id').where('id', '=', reply.id).executeTakeFirstOrThrow();
    const echo = messagingWebhookBody('instagram', IG_ACCOUNT_ID, [echoEvent(IG_ACCOUNT_ID, IGSID, 'Masih ready Kak 🙏')]);
    expect(await (await postSignedWebhook(webhookUrl, echo, APP_SECRET)).json()).toEqual({ status: 'ignored' });
    const seen = messagingWebhookBody('instagram', IG_ACCOUNT_ID, [seenEvent(IGSID, IG_ACCOUNT_ID, row.external_id!)]);
    expect((await postSignedWebhook(webhookUrl, seen, APP_SECRET)).status).toBe(200);
    await session.sawStatus(reply.id, 'read');

    expect((await session.transcript(conversation.id)).map((m) => [m.direction, m.status])).toEqual([
      ['in', 'received'],
      ['out', 'read'],
    ]);
    session.close();
  });
});
