import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTenant, type TestTenant } from '@sapa/test-support';
import { postSignedWebhook, startFakeGraphApi, statusValue, textMessageValue, whatsappWebhookBody, type FakeGraphApi } from '../support/fakes/graph-api.js';
import { startStack, waitFor } from '../support/stack.js';

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
  let stack: Awaited<ReturnType<typeof startStack>>;
  let graph: FakeGraphApi;
  let tenant: TestTenant;

  beforeAll(async () => {
    graph = await startFakeGraphApi();
    stack = await startStack();
    tenant = await createTenant(stack.db);
  });

  afterAll(async () => {
    await stack?.close();
    await graph?.close();
  });

  it('walks the whole path', async () => {
    const created = await stack.api('POST', '/v1/channels', tenant.users.admin!.token, {
      type: 'whatsapp_cloud',
      name: 'WhatsApp Toko Online',
      config: { phoneNumberId: PHONE_NUMBER_ID, accessToken: ACCESS_TOKEN, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, graphApiBase: graph.url },
    });
    expect(created.status).toBe(201);
    const webhookUrl = `${stack.gatewayUrl}/webhooks/whatsapp/${created.body.id as string}`;

    const check = await fetch(`${webhookUrl}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=8812034`);
    expect([check.status, await check.text()]).toEqual([200, '8812034']);

    const agent = tenant.users.agent1!;
    await stack.api('PUT', '/v1/agents/me/presence', agent.token, { status: 'online' });
    const live = await stack.stream(agent.token);

    const inbound = whatsappWebhookBody(PHONE_NUMBER_ID, textMessageValue(WA_ID, 'Saldo saya belum masuk'));
    expect((await postSignedWebhook(webhookUrl, inbound, APP_SECRET)).status).toBe(202);

    const assigned = await waitFor(() => live.frames.find((f) => f.type === 'conversation.assigned'));
    expect(assigned.data).toMatchObject({ assigneeId: agent.id, status: 'assigned', contact: { name: 'Budi Santoso' } });
    const conversationId = assigned.data.id as string;

    const reply = await stack.api('POST', `/v1/conversations/${conversationId}/messages`, agent.token, { text: 'Baik Pak Budi, kami cek dulu ya.' });
    expect(reply.status).toBe(201);
    await waitFor(() => live.frames.find((f) => f.type === 'message.updated' && f.data.id === reply.body.id && f.data.status === 'sent'));
    expect(graph.messageSends().map(({ path, body }) => ({ path, to: body.to, text: body.text }))).toEqual([
      { path: `/v21.0/${PHONE_NUMBER_ID}/messages`, to: WA_ID, text: { body: 'Baik Pak Budi, kami cek dulu ya.' } },
    ]);

    const row = await stack.db.selectFrom('messages').select('external_id').where('id', '=', reply.body.id).executeTakeFirstOrThrow();
    const wamid = row.external_id!;
    for (const status of ['delivered', 'read'] as const) {
      expect((await postSignedWebhook(webhookUrl, whatsappWebhookBody(PHONE_NUMBER_ID, statusValue(wamid, status, WA_ID)), APP_SECRET)).status).toBe(200);
    }
    await waitFor(() => live.frames.find((f) => f.type === 'message.updated' && f.data.id === reply.body.id && f.data.status === 'read'));

    const after = await stack.api('GET', `/v1/conversations/${conversationId}/messages`, agent.token);
    expect(after.body.items.map((m: { direction: string; status: string }) => [m.direction, m.status])).toEqual([
      ['in', 'received'],
      ['out', 'read'],
    ]);
    live.close();
  });
});
