import { describe, expect, it } from '@jest/globals';
import { goOnline } from '../support/agent-session.js';
import { createChannel } from '../support/channel-through-api.js';
import { privateMessageUpdate, startFakeTelegramBotApi } from '../support/fakes/telegram-bot-api.js';
import { useStackWith } from '../support/use-stack.js';

const BOT_TOKEN = '987654321:AAE-e2e-fake-token-abcdefghijklmnopq';
const CHAT_ID = 6_203_118_447;

/**
 * issue 7 §Telegram: the whole path through HTTP. An admin creates a Telegram channel, which sets the bot's webhook
 * to the gateway; Telegram (a local fake of the Bot API) delivers a customer's update with the secret token; the
 * router assigns the conversation to the agent who is online; the agent replies, and Telegram receives exactly one
 * sendMessage to the customer's chat.
 */
describe('a customer message on Telegram reaches the right agent and the reply goes back', () => {
  const world = useStackWith(startFakeTelegramBotApi);

  it('walks the whole path', async () => {
    const { stack, fake: telegram, tenant } = world;
    const { id: channelId } = await createChannel(stack, tenant.users.admin!.token, {
      type: 'telegram',
      name: 'Bot Toko Online',
      config: { botToken: BOT_TOKEN, apiBase: telegram.url },
    });
    expect(telegram.calls('setWebhook').map((r) => r.body.url)).toEqual([`${stack.gatewayUrl}/webhooks/telegram/${channelId}`]);
    const session = await goOnline(stack, tenant.users.agent1!);

    // Telegram delivers the customer's update to the webhook it was given, with the secret token; and again, as
    // Telegram does when it did not hear back in time.
    const update = privateMessageUpdate(CHAT_ID, { text: 'Saldo saya belum masuk' });
    const hook = await telegram.pushUpdate(BOT_TOKEN, update);
    expect(hook.status).toBe(202);
    const again = await telegram.pushUpdate(BOT_TOKEN, update);
    expect(await again.json()).toEqual({ status: 'duplicate' });

    const conversation = await session.assignment();
    expect(conversation).toMatchObject({ channelId, contact: { name: 'Budi Santoso' } });
    expect(await session.transcript(conversation.id)).toMatchObject([{ direction: 'in', authorType: 'contact', text: 'Saldo saya belum masuk' }]);

    await session.reply(conversation.id, { text: 'Baik Pak Budi, kami cek dulu ya.' });
    expect(telegram.calls('sendMessage').map(({ path, body }) => ({ path, body }))).toEqual([
      { path: `/bot${BOT_TOKEN}/sendMessage`, body: { chat_id: CHAT_ID, text: 'Baik Pak Budi, kami cek dulu ya.' } },
    ]);
    expect((await session.transcript(conversation.id)).map((m) => m.status)).toEqual(['received', 'sent']);
    session.close();
  });
});
