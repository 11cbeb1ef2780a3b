import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLocalDiskStore } from '@sapa/attachments';
import { createSecretBox } from '@sapa/db';
import { createRedis } from '@sapa/queue';
import { createLogger, createMetrics } from '@sapa/service-kit';
import { createTenant, testEnv, type TestTenant } from '@sapa/test-support';
import { startWhatsapp, type RunningWhatsapp } from '@sapa/whatsapp';
import { fakeConnector, fixture } from '../../services/whatsapp/test/fake-socket.js';
import { startStack, waitFor } from '../support/stack.js';

/**
 * Issue 7 item 1, the whole path for a number paired through Baileys: an admin adds the channel and reads the QR, the
 * phone links, a customer writes, the router assigns an agent, the agent replies through the API, and the WhatsApp
 * service sends exactly that text to the customer's chat, then follows its receipts. WhatsApp itself cannot be
 * reached here: its socket is the recorded-payload fake of services/whatsapp/test, everything else is real.
 */
describe('a WhatsApp number paired through Baileys carries a conversation both ways', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let whatsapp: RunningWhatsapp;
  let tenant: TestTenant;
  const fake = fakeConnector();
  const redis = createRedis(testEnv().redisUrl);

  beforeAll(async () => {
    stack = await startStack();
    tenant = await createTenant(stack.db);
    whatsapp = await startWhatsapp({
      db: stack.db,
      redis,
      prefix: stack.prefix,
      secretBox: createSecretBox(testEnv().secretKey),
      store: createLocalDiskStore(mkdtempSync(join(tmpdir(), 'sapa-e2e-wa-'))),
      logger: createLogger({ service: 'whatsapp-e2e', level: 'warn', pretty: false }),
      metrics: createMetrics('whatsapp_e2e'),
      connect: fake.connect,
      scanIntervalMs: 100,
      onlyTenants: () => [tenant.id],
    });
  }, 60_000);

  afterAll(async () => {
    await whatsapp?.close();
    await stack?.close();
    await redis.quit();
  });

  it('walks the whole path', async () => {
    const admin = tenant.users.admin!.token;
    const created = await stack.api('POST', '/v1/channels', admin, { type: 'whatsapp_baileys', name: 'WA Toko', config: {} });
    expect([created.status, created.body.status]).toEqual([201, 'pairing']);
    const channelId = created.body.id as string;

    // The service picks the number up and WhatsApp offers a QR: the admin reads it, then the phone links.
    const socket = await waitFor(() => fake.sockets[0], 10_000);
    socket.emit('connection.update', fixture('connection-update-qr'));
    const pairing = await waitFor(async () => {
      const res = await stack.api('GET', `/v1/channels/${channelId}/pairing`, admin);
      return res.body.qr ? res.body : undefined;
    }, 10_000);
    expect(pairing).toMatchObject({ status: 'pairing', qr: expect.stringMatching(/^data:image\/png;base64,/) });
    socket.emit('connection.update', fixture('connection-update-open'));
    await waitFor(async () => ((await stack.api('GET', `/v1/channels/${channelId}/pairing`, admin)).body.status === 'active' ? true : undefined), 10_000);

    const agent = tenant.users.agent1!;
    await stack.api('PUT', '/v1/agents/me/presence', agent.token, { status: 'online' });
    const live = await stack.stream(agent.token);

    // The customer writes (a recorded messages.upsert: one text, one reply quoting it).
    socket.emit('messages.upsert', fixture('messages-upsert-text'));
    const assigned = await waitFor(() => live.frames.find((f) => f.type === 'conversation.assigned'), 15_000);
    expect(assigned.data).toMatchObject({ assigneeId: agent.id, channelId, channelType: 'whatsapp_baileys', contact: { name: 'Budi Santoso' } });
    const conversationId = assigned.data.id as string;
    // Both of the upsert's messages: the router's workers store them side by side, so either may come first.
    const inbound = await waitFor(async () => {
      const list = await stack.api('GET', `/v1/conversations/${conversationId}/messages`, agent.token);
      return list.body.items.length >= 2 ? list.body.items : undefined;
    }, 10_000);
    expect(inbound).toContainEqual(expect.objectContaining({ direction: 'in', text: 'Halo, saldo saya belum masuk' }));

    // The agent answers: exactly that text goes to the customer's chat, from the number's holder.
    const reply = await stack.api('POST', `/v1/conversations/${conversationId}/messages`, agent.token, { text: 'Baik Pak Budi, kami cek dulu ya.' });
    expect(reply.status).toBe(201);
    const sent = await waitFor(() => socket.sent.find((s) => 'text' in s.content && s.content.text === 'Baik Pak Budi, kami cek dulu ya.'), 15_000);
    expect(sent.jid).toBe('6281234567890@s.whatsapp.net');
    await waitFor(() => live.frames.find((f) => f.type === 'message.updated' && f.data.id === reply.body.id && f.data.status === 'sent'), 15_000);
    expect(socket.sent.filter((s) => s.jid === sent.jid)).toHaveLength(1);
    live.close();
  }, 90_000);
});
