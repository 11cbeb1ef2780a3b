import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLocalDiskStore } from '@sapa/attachments';
import { createSecretBox } from '@sapa/db';
import { createRedis, leaseKeys } from '@sapa/queue';
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
describe('a WhatsApp number paired through Baileys', () => {
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

  it('carries a conversation both ways: the whole path', async () => {
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
    // Both of the upsert's messages, in the upsert's order: the router's workers store them side by side, each at its
    // place in the upsert (receivedAt), so the text lists before the reply whichever worker commits first.
    const inbound = await waitFor(async () => {
      const list = await stack.api('GET', `/v1/conversations/${conversationId}/messages`, agent.token);
      return list.body.items.length >= 2 ? list.body.items : undefined;
    }, 10_000);
    expect(inbound.slice(0, 2)).toMatchObject([
      { direction: 'in', text: 'Halo, saldo saya belum masuk' },
      { direction: 'in', text: expect.stringMatching(/Yang ini kak, sudah 2 hari$/) },
    ]);

    // The agent answers: exactly that text goes to the customer's chat, from the number's holder.
    const reply = await stack.api('POST', `/v1/conversations/${conversationId}/messages`, agent.token, { text: 'Baik Pak Budi, kami cek dulu ya.' });
    expect(reply.status).toBe(201);
    const sent = await waitFor(() => socket.sent.find((s) => 'text' in s.content && s.content.text === 'Baik Pak Budi, kami cek dulu ya.'), 15_000);
    expect(sent.jid).toBe('6281234567890@s.whatsapp.net');
    await waitFor(() => live.frames.find((f) => f.type === 'message.updated' && f.data.id === reply.body.id && f.data.status === 'sent'), 15_000);
    expect(socket.sent.filter((s) => s.jid === sent.jid)).toHaveLength(1);
    live.close();
  }, 90_000);

  /**
   * An admin unlinks a linked number from Sapa's side (`DELETE /v1/channels/{id}/pairing`): the replica holding it logs
   * the device out once, its keys are gone, the channel is `disconnected`, admins are told on /v1/stream, and a second
   * DELETE changes nothing. `POST` then pairs it afresh.
   */
  it('logs the device out once, forgets its keys, reports `disconnected`, and pairs afresh after', async () => {
    const admin = tenant.users.admin!.token;
    const base = fake.sockets.length;
    const created = await stack.api('POST', '/v1/channels', admin, { type: 'whatsapp_baileys', name: 'WA Toko 2', config: {} });
    const channelId = created.body.id as string;
    const socket = await waitFor(() => fake.sockets[base], 10_000);
    socket.emit('connection.update', fixture('connection-update-qr'));
    socket.emit('creds.update', { registered: true, me: { id: '6281234567890:12@s.whatsapp.net', name: 'Toko' } });
    socket.emit('connection.update', fixture('connection-update-open'));
    await waitFor(async () => ((await stack.api('GET', `/v1/channels/${channelId}/pairing`, admin)).body.status === 'active' ? true : undefined), 10_000);
    await socket.auth.keys.set({ session: { 'a.0': Buffer.from([1]) } });
    const authRows = async () => ({
      creds: (await stack.db.selectFrom('whatsapp_sessions').select('creds_enc').where('channel_id', '=', channelId).executeTakeFirstOrThrow()).creds_enc,
      keys: (await stack.db.selectFrom('whatsapp_keys').select('key_id').where('channel_id', '=', channelId).execute()).length,
    });
    expect(await authRows()).toEqual({ creds: expect.any(String), keys: 1 });
    const live = await stack.stream(admin);

    const unlinked = await stack.api('DELETE', `/v1/channels/${channelId}/pairing`, admin);
    expect([unlinked.status, unlinked.body]).toEqual([202, { status: 'disconnected' }]);
    // The holder sees `disconnected` on its next scan, logs out, and lets the number go.
    await waitFor(() => (socket.logouts === 1 && whatsapp.sessions.sessionOf(channelId) === undefined ? true : undefined), 10_000);
    expect(socket.ended).toBe(true);
    expect(await authRows()).toEqual({ creds: null, keys: 0 });
    expect((await stack.api('GET', `/v1/channels/${channelId}/pairing`, admin)).body).toEqual({ status: 'disconnected' });
    await waitFor(() => (redis.get(leaseKeys(stack.prefix, 'wa', channelId)[0]).then((v) => (v === null ? true : undefined))), 10_000);
    const told = await waitFor(() => live.frames.find((f) => f.type === 'channel.pairing' && f.data.status === 'disconnected'), 10_000);
    // Baileys closes a logged-out socket as "logged out" (401): the holder knows it asked for it, and says nothing more.
    expect(told.data).toEqual({ channelId, status: 'disconnected', reason: 'unlinked' });

    const again = await stack.api('DELETE', `/v1/channels/${channelId}/pairing`, admin);
    expect([again.status, again.body]).toEqual([202, { status: 'disconnected' }]);
    await whatsapp.sessions.scan();
    await whatsapp.sessions.scan();
    expect(socket.logouts).toBe(1);
    expect(fake.sockets).toHaveLength(base + 1);
    const audit = await stack.db.selectFrom('audit_log').select('action').where('target_id', '=', channelId).where('action', '=', 'channel.unlinked').execute();
    expect(audit).toHaveLength(1);
    expect(live.frames.filter((f) => f.type === 'channel.pairing' && f.data.channelId === channelId && f.data.status === 'disconnected')).toHaveLength(1);

    // Paired again: a new socket on a fresh auth state, asking for a new QR.
    const repaired = await stack.api('POST', `/v1/channels/${channelId}/pairing`, admin);
    expect([repaired.status, repaired.body]).toEqual([202, { status: 'pairing' }]);
    const fresh = await waitFor(() => fake.sockets[base + 1], 10_000);
    expect(fresh.auth.creds.registered).toBeFalsy();
    expect(fresh.auth.creds.me).toBeUndefined();
    live.close();
  }, 90_000);
});
