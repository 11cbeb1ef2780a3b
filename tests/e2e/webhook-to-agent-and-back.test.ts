import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { signPayload, verifySignature } from '@sapa/contracts';
import { createDb, createSecretBox, hashPassword } from '@sapa/db';
import { startGateway, type Gateway } from '@sapa/gateway';
import { startInboxApi } from '@sapa/inbox-api';
import { createEventBus, createProducer, createRedis } from '@sapa/queue';
import { startRouter, type RunningRouter } from '@sapa/router';
import { createLogger, createMetrics } from '@sapa/service-kit';
import { createTenant, testEnv, type TestTenant } from '@sapa/test-support';

interface Received {
  headers: IncomingMessage['headers'];
  raw: string;
}

/**
 * issue 3 §Tests: the whole path through HTTP and WebSocket. An integrator's signed webhook reaches the
 * gateway, the router assigns the conversation to the agent who is online, the agent sees it live and
 * replies, and the integrator's callback server receives the signed reply.
 */
describe('a customer message from an integrator reaches the right agent and the reply goes back', () => {
  const env = testEnv();
  const prefix = `${env.redisPrefix}:e2e-${randomUUID().slice(0, 8)}`;
  const logger = createLogger({ service: 'e2e', level: 'warn', pretty: false });
  const db = createDb({ connectionString: env.databaseUrl, max: 20 });
  // One connection per service, as in production; all closed after the test.
  const connections = [createRedis(env.redisUrl), createRedis(env.redisUrl), createRedis(env.redisUrl)] as const;
  const [routerRedis, gatewayRedis, inboxRedis] = connections;
  const secretBox = createSecretBox(env.secretKey);
  const callbacks: Received[] = [];
  let callbackServer: Server;
  let callbackUrl: string;
  let router: RunningRouter;
  let gateway: Gateway;
  let inbox: Awaited<ReturnType<typeof startInboxApi>>;
  let inboxUrl: string;
  let gatewayUrl: string;
  let tenant: TestTenant;

  beforeAll(async () => {
    callbackServer = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        callbacks.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => callbackServer.listen(0, '127.0.0.1', r));
    callbackUrl = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/sapa`;

    tenant = await createTenant(db);
    await db.updateTable('users').set({ password_hash: await hashPassword('rahasia123') }).where('id', '=', tenant.users.agent1!.id).execute();

    router = await startRouter({ db, redis: routerRedis, prefix, logger, metrics: createMetrics('router') });
    gateway = await startGateway({
      db, redis: gatewayRedis, prefix, secretBox, logger, metrics: createMetrics('gateway'), host: '127.0.0.1', port: 0,
    });
    gatewayUrl = `http://127.0.0.1:${(gateway.app.server.address() as AddressInfo).port}`;
    inbox = await startInboxApi(
      {
        db, redis: inboxRedis, prefix, secretBox, logger, metrics: createMetrics('inbox-api'),
        producer: createProducer(inboxRedis, prefix), eventBus: createEventBus(inboxRedis, prefix),
      },
      { host: '127.0.0.1', port: 0 },
    );
    inboxUrl = `http://127.0.0.1:${(inbox.app.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await inbox?.close();
    await gateway?.close();
    await router?.close();
    await new Promise((r) => callbackServer.close(r));
    await Promise.all(connections.map((c) => c.quit()));
    await db.destroy();
  });

  const api = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(`${inboxUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('walks the whole path', async () => {
    // The integrator's channel, created by an admin; its secret is shown once.
    const created = await api('POST', '/v1/channels', tenant.users.admin!.token, { type: 'api', name: 'Toko Online', config: { callbackUrl } });
    expect(created.status).toBe(201);
    const { id: channelId, secret } = created.body as { id: string; secret: string };
    expect(secret).toBeTruthy();

    // The agent logs in with a password, goes online and opens the live stream.
    const login = await fetch(`${inboxUrl}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: tenant.users.agent1!.email, password: 'rahasia123' }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    expect((await api('PUT', '/v1/agents/me/presence', token, { status: 'online' })).body).toEqual({ status: 'online' });

    const frames: Array<{ type: string; data: any }> = [];
    const ws = new WebSocket(`${inboxUrl.replace('http', 'ws')}/v1/stream?token=${encodeURIComponent(token)}`);
    ws.on('message', (raw) => frames.push(JSON.parse(String(raw))));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));

    // The customer writes; the integrator signs and posts it.
    const raw = JSON.stringify({ messageId: `wa-${randomUUID()}`, from: { id: 'cust-62812', name: 'Budi' }, text: 'Saldo saya belum masuk' });
    const ts = Math.floor(Date.now() / 1000);
    const hook = await fetch(`${gatewayUrl}/webhooks/api/${channelId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sapa-timestamp': String(ts), 'x-sapa-signature': signPayload(secret, ts, raw) },
      body: raw,
    });
    expect(hook.status).toBe(202);
    expect(await hook.json()).toEqual({ status: 'accepted' });

    // The agent sees the assignment and the message live.
    const assigned = await waitFor(() => frames.find((f) => f.type === 'conversation.assigned'));
    expect(assigned.data).toMatchObject({ assigneeId: tenant.users.agent1!.id, status: 'assigned', channelId, contact: { name: 'Budi' } });
    const conversationId = assigned.data.id as string;
    await waitFor(() => frames.find((f) => f.type === 'message.created' && f.data.text === 'Saldo saya belum masuk'));

    const messages = await api('GET', `/v1/conversations/${conversationId}/messages`, token);
    expect(messages.body.items).toMatchObject([{ direction: 'in', authorType: 'contact', text: 'Saldo saya belum masuk' }]);

    // The agent replies; the integrator's callback receives it signed.
    const reply = await api('POST', `/v1/conversations/${conversationId}/messages`, token, { text: 'Baik Pak Budi, kami cek dulu ya.' });
    expect(reply.status).toBe(201);
    expect(reply.body.status).toBe('queued');

    const delivered = await waitFor(() => callbacks[0]);
    const check = verifySignature(
      secret,
      { timestamp: delivered.headers['x-sapa-timestamp'] as string, signature: delivered.headers['x-sapa-signature'] as string },
      Buffer.from(delivered.raw),
      Math.floor(Date.now() / 1000),
    );
    expect(check).toEqual({ ok: true });
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
    const after = await api('GET', `/v1/conversations/${conversationId}/messages`, token);
    expect(after.body.items.map((m: { status: string }) => m.status)).toEqual(['received', 'sent']);
    ws.close();
  });
});

async function waitFor<T>(find: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}
