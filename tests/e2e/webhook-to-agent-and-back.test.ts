import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { hashPassword } from '@sapa/db';
import { createTenant, type TestTenant } from '@sapa/test-support';
import { startCallbackServer, startStack, waitFor } from '../support/stack.js';

/**
 * issue 3 §Tests: the whole path through HTTP and WebSocket. An integrator's signed webhook reaches the
 * gateway, the router assigns the conversation to the agent who is online, the agent sees it live and
 * replies, and the integrator's callback server receives the signed reply.
 */
describe('a customer message from an integrator reaches the right agent and the reply goes back', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let callbacks: Awaited<ReturnType<typeof startCallbackServer>>;
  let tenant: TestTenant;

  beforeAll(async () => {
    callbacks = await startCallbackServer();
    stack = await startStack();
    tenant = await createTenant(stack.db);
    await stack.db.updateTable('users').set({ password_hash: await hashPassword('rahasia123') }).where('id', '=', tenant.users.agent1!.id).execute();
  });

  afterAll(async () => {
    await stack?.close();
    await callbacks?.close();
  });

  it('walks the whole path', async () => {
    // The integrator's channel, created by an admin; its secret is shown once.
    const created = await stack.api('POST', '/v1/channels', tenant.users.admin!.token, { type: 'api', name: 'Toko Online', config: { callbackUrl: callbacks.url } });
    expect(created.status).toBe(201);
    const { id: channelId, secret } = created.body as { id: string; secret: string };
    expect(secret).toBeTruthy();

    // The agent logs in with a password, goes online and opens the live stream.
    const login = await fetch(`${stack.inboxUrl}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: tenant.users.agent1!.email, password: 'rahasia123' }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    expect((await stack.api('PUT', '/v1/agents/me/presence', token, { status: 'online' })).body).toEqual({ status: 'online' });

    const frames: Array<{ type: string; data: any }> = [];
    const ws = new WebSocket(`${stack.inboxUrl.replace('http', 'ws')}/v1/stream?token=${encodeURIComponent(token)}`);
    ws.on('message', (raw) => frames.push(JSON.parse(String(raw))));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));

    // The customer writes; the integrator signs and posts it.
    const hook = await stack.postWebhook(channelId, secret, {
      messageId: `wa-${randomUUID()}`,
      from: { id: 'cust-62812', name: 'Budi' },
      text: 'Saldo saya belum masuk',
    });
    expect(hook.status).toBe(202);
    expect(await hook.json()).toEqual({ status: 'accepted' });

    // The agent sees the assignment and the message live.
    const assigned = await waitFor(() => frames.find((f) => f.type === 'conversation.assigned'));
    expect(assigned.data).toMatchObject({ assigneeId: tenant.users.agent1!.id, status: 'assigned', channelId, contact: { name: 'Budi' } });
    const conversationId = assigned.data.id as string;
    await waitFor(() => frames.find((f) => f.type === 'message.created' && f.data.text === 'Saldo saya belum masuk'));

    const messages = await stack.api('GET', `/v1/conversations/${conversationId}/messages`, token);
    expect(messages.body.items).toMatchObject([{ direction: 'in', authorType: 'contact', text: 'Saldo saya belum masuk' }]);

    // The agent replies; the integrator's callback receives it signed.
    const reply = await stack.api('POST', `/v1/conversations/${conversationId}/messages`, token, { text: 'Baik Pak Budi, kami cek dulu ya.' });
    expect(reply.status).toBe(201);
    expect(reply.body.status).toBe('queued');

    const delivered = await waitFor(() => callbacks.received[0]);
    expect(callbacks.verified(delivered, secret)).toBe(true);
    expect(delivered.headers['x-sapa-delivery']).toBeTruthy();
    expect(JSON.parse(delivered.raw)).toMatchObject({
      messageId: reply.body.id,
      conversationId,
      to: { id: 'cust-62812' },
      text: 'Baik Pak Budi, kami cek dulu ya.',
      author: { type: 'agent', id: tenant.users.agent1!.id },
    });

    // The reply's status turns `sent`, live and in the transcript.
    await waitFor(() => frames.find((f) => f.type === 'message.updated' && f.data.id === reply.body.id && f.data.status === 'sent'));
    const after = await stack.api('GET', `/v1/conversations/${conversationId}/messages`, token);
    expect(after.body.items.map((m: { status: string }) => m.status)).toEqual(['received', 'sent']);
    ws.close();
  });
});
