import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { goOnline } from '../support/agent-session.js';
import { createChannel } from '../support/channel-through-api.js';
import { startCallbackServer, waitFor } from '../support/stack.js';
import { useStackWith } from '../support/use-stack.js';

const NUDGE = 'Apakah saat ini Bapak/Ibu masih terhubung dengan kami?';

/**
 * issue 4 items 5 and 7: the inactivity nudges end to end, through the generic API channel and its callback, with the
 * durations shortened through the settings API. The customer writes, the agent answers, the customer goes silent:
 * the integrator receives the question twice and then the closing text, each signed and from `system`, and the
 * conversation ends closed for no response.
 */
describe('a silent customer on the API channel is nudged twice and the conversation closed', () => {
  const world = useStackWith(startCallbackServer, { tickets: true });

  it('walks from the customer’s message to the close for no response', async () => {
    const { stack, fake: callbacks, tenant } = world;
    const admin = tenant.users.admin!.token;
    const agent = tenant.users.agent1!.token;
    const settings = await stack.api('PATCH', '/v1/tenant/settings', admin, {
      brand: 'Toko Online',
      inactivity: { firstNudgeSeconds: 1, secondNudgeSeconds: 1, closeSeconds: 1 },
    });
    expect(settings.status).toBe(200);
    expect(settings.body.inactivity).toMatchObject({ firstNudgeSeconds: 1, secondNudgeSeconds: 1, closeSeconds: 1 });

    const { id: channelId, secret } = (await createChannel(stack, admin, { type: 'api', name: 'Toko Online', config: { callbackUrl: callbacks.url } })) as { id: string; secret: string };
    const session = await goOnline(stack, tenant.users.agent1!);

    // The customer writes; the integrator signs and posts it; the router hands it to the online agent.
    const hook = await stack.postWebhook(channelId, secret, {
      messageId: `wa-${randomUUID()}`,
      from: { id: 'cust-62813', name: 'Sari' },
      text: 'Pesanan saya belum sampai',
    });
    expect(hook.status).toBe(202);
    const conversation = await session.assignment();
    expect(conversation).toMatchObject({ channelId });

    // The agent answers, then the customer says nothing more.
    await session.reply(conversation.id, { text: 'Baik Bu Sari, kami cek dulu ya. Mohon ditunggu.' });

    const closed = await waitFor(async () => {
      const res = await stack.api('GET', `/v1/conversations/${conversation.id}`, agent);
      return res.body.status === 'closed' ? res.body : undefined;
    }, 15_000);
    expect(closed).toMatchObject({ status: 'closed', closeReason: 'no_response' });

    // The integrator received the reply, the question twice and the closing text, each signed.
    await waitFor(() => (callbacks.received.length >= 4 ? true : undefined), 10_000);
    const bodies = callbacks.received.map((c) => {
      expect(callbacks.verified(c, secret)).toBe(true);
      return JSON.parse(c.raw) as { text: string; author: { type: string; id: string | null }; conversationId: string; to: { id: string } };
    });
    expect(bodies).toHaveLength(4);
    expect(bodies[0]).toMatchObject({ text: 'Baik Bu Sari, kami cek dulu ya. Mohon ditunggu.', author: { type: 'agent' } });
    expect(bodies.slice(1).map((b) => [b.author.type, b.author.id, b.conversationId, b.to.id])).toEqual(
      Array.from({ length: 3 }, () => ['system', null, conversation.id, 'cust-62813']),
    );
    expect(bodies[1]!.text).toBe(NUDGE);
    expect(bodies[2]!.text).toBe(NUDGE);
    expect(bodies[3]!.text).toMatch(/^Terima kasih telah menghubungi Toko Online\. Selamat (beraktifitas|beristirahat|berakhir pekan)\.$/);

    // The transcript shows the same, Sapa's own messages as `system`.
    expect((await session.transcript(conversation.id)).map((m) => m.authorType)).toEqual(['contact', 'agent', 'system', 'system', 'system']);
    session.close();
  });
});
