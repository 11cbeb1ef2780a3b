import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTenant, type TestTenant } from '@sapa/test-support';
import { privateMessageUpdate, startFakeTelegramBotApi, type FakeTelegramBotApi } from '../support/fakes/telegram-bot-api.js';
import { startStack, waitFor } from '../support/stack.js';

const BOT_TOKEN = '987654321:AAE-e2e-fake-token-abcdefghijklmnopq';
const CHAT_ID = 6_203_118_447;

/**
 * issue 7 §Telegram: the whole path through HTTP. An admin creates a Telegram channel, which sets the bot's webhook
 * to the gateway; Telegram (a local fake of the Bot API) delivers a customer's update with the secret token; the
 * router assigns the conversation to the agent who is online; the agent replies, and Telegram receives exactly one
 * sendMessage to the customer's chat.
 */
describe('a customer message on Telegram reaches the right agent and the reply goes back', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let telegram: FakeTelegramBotApi;
  let tenant: TestTenant;

  beforeAll(async () => {
    telegram = await startFakeTelegramBotApi();
    stack = await startStack();
    tenant = await createTenant(stack.db);
  });

  afterAll(async () => {
    await stack?.close();
    await telegram?.close();
  });

  it('walks the whole path', async () => {
    const created = await stack.api('POST', '/v1/channels', tenant.users.admin!.token, {
      type: 'telegram',
      name: 'Bot Toko Online',
      config: { botToken: BOT_TOKEN, apiBase: telegram.url },
    });
    expect(created.status).toBe(201);
    const channelId = created.body.id as string;
    expect(telegram.calls('setWebhook').map((r) => r.body.url)).toEqual([`${stack.gatewayUrl}/webhooks/telegram/${channelId}`]);

    const agent = tenant.users.agent1!;
    expect((await stack.api('PUT', '/v1/agents/me/presence', agent.token, { status: 'online' })).body).toEqual({ status: 'online' });
    const live = await stack.stream(agent.token);

    // Telegram delivers the customer's update to the webhook it was given, with the secret token; and again, as
    // Telegram does when it did not hear back in time.
    const update = privateMessageUpdate(CHAT_ID, { text: 'Saldo saya belum masuk' });
    const hook = await telegram.pushUpdate(BOT_TOKEN, update);
    expect(hook.status).toBe(202);
    const again = await telegram.pushUpdate(BOT_TOKEN, update);
    expect(await again.json()).toEqual({ status: 'duplicate' });

    const assigned = await waitFor(() => live.frames.find((f) => f.type === 'conversation.assigned'));
    expect(assigned.data).toMatchObject({ assigneeId: agent.id, status: 'assigned', channelId, contact: { name: 'Budi Santoso' } });
    const conversationId = assigned.data.id as string;
    const messages = await stack.api('GET', `/v1/conversations/${conversationId}/messages`, agent.token);
    expect(messages.body.items).toMatchObject([{ direction: 'in', authorType: 'contact', text: 'Saldo saya belum masuk' }]);

    const reply = await stack.api('POST', `/v1/conversations/${conversationId}/messages`, agent.token, { text: 'Baik Pak Budi, kami cek dulu ya.' });
    expect(reply.status).toBe(201);

    await waitFor(() => live.frames.find((f) => f.type === 'message.updated' && f.data.id === reply.body.id && f.data.status === 'sent'));
    expect(telegram.calls('sendMessage').map(({ path, body }) => ({ path, body }))).toEqual([
      { path: `/bot${BOT_TOKEN}/sendMessage`, body: { chat_id: CHAT_ID, text: 'Baik Pak Budi, kami cek dulu ya.' } },
    ]);
    const after = await stack.api('GET', `/v1/conversations/${conversationId}/messages`, agent.token);
    expect(after.body.items.map((m: { status: string }) => m.status)).toEqual(['received', 'sent']);
    live.close();
  });
});
