import { describe, expect, it } from '@jest/globals';
import { goOnline } from '../support/agent-session.js';
import { createChannel } from '../support/channel-through-api.js';
import { postSignedWebhook, startFakeGraphApi, statusValue, textMessageValue, whatsappWebhookBody } from '../support/fakes/graph-api.js';
import { expectHandshakeAnswered } from '../support/meta-webhook-checks.js';
import { useStackWith } from '../support/use-stack.js';

const PHONE_NUMBER_ID = '106540352242922';
const ACCESS_TOKEN = 'EAAGe2eFakeAccessToken0123456789abcdef';
const APP_SECRET = 'e2e-app-secret-0123456789abcdef';
const VERIFY_TOKEN = 'e2e-verify-token';
const WA_ID = '6281234567890';

/**
 * issue 7 §WhatsApp Cloud: the whole path through HTTP. An admin creates a whatsapp_cloud channel; Meta checks the
 * webhook URL (handshake) and delivers a customer's signed message; the router assigns it to the online agent; the
 * agent replies and the Graph API (a local fake) receives exactly one text message; Meta's delivered and read
 * statuses then move the reply to `read`.
 */
describe('a customer message on WhatsApp reaches the right agent, the reply goes back and is read', () => {
  const world = useStackWith(startFakeGraphApi);

  it('walks the whole path', async () => {
    const { stack, fake: graph, tenant } = world;
    const created = await createChannel(stack, tenant.users.admin!.token, {
      type: 'whatsapp_cloud',
      name: 'WhatsApp Toko Online',
      config: { phoneNumberId: PHONE_NUMBER_ID, accessToken: ACCESS_TOKEN, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, graphApiBase: graph.url },
    });
    const webhookUrl = `${stack.gatewayUrl}/webhooks/whatsapp/${created.id}`;
    await expectHandshakeAnswered(webhookUrl, VERIFY_TOKEN, '8812034');
    const session = await goOnline(stack, tenant.users.agent1!);

    const inbound = whatsappWebhookBody(PHONE_NUMBER_ID, textMessageValue(WA_ID, 'Saldo saya belum masuk'));
    expect((await postSignedWebhook(webhookUrl, inbound, APP_SECRET)).status).toBe(202);

    const conversation = await session.assignment();
    expect(conversation).toMatchObject({ contact: { name: 'Budi Santoso' } });
    const reply = await session.reply(conversation.id, { text: 'Baik Pak Budi, kami cek dulu ya.' });
    expect(graph.messageSends().map(({ path, body }) => ({ path, to: body.to, text: body.text }))).toEqual([
      { path: `/v21.0/${PHONE_NUMBER_ID}/messages`, to: WA_ID, text: { body: 'Baik Pak Budi, kami cek dulu ya.' } },
    ]);

    const row = await stack.db.selectFrom('messages').select('external_id').where('id', '=', reply.id).executeTakeFirstOrThrow();
    const wamid = row.external_id!;
    for (const status of ['delivered', 'read'] as const) {
      expect((await postSignedWebhook(webhookUrl, whatsappWebhookBody(PHONE_NUMBER_ID, statusValue(wamid, status, WA_ID)), APP_SECRET)).status).toBe(200);
    }
    await session.sawStatus(reply.id, 'read');

    expect((await session.transcript(conversation.id)).map((m) => [m.direction, m.status])).toEqual([
      ['in', 'received'],
      ['out', 'read'],
    ]);
    session.close();
  });
});
