import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signPayload, verifySignature } from '@sapa/contracts';
import { createDb, createSecretBox } from '@sapa/db';
import { startGateway, type Gateway } from '@sapa/gateway';
import { startInboxApi } from '@sapa/inbox-api';
import { createEventBus, createProducer, createRedis } from '@sapa/queue';
import { startRouter, type RunningRouter } from '@sapa/router';
import { createLogger, createMetrics } from '@sapa/service-kit';
import { startTickets, type RunningTickets } from '@sapa/tickets';
import { createTenant, testEnv, type TestTenant } from '@sapa/test-support';

interface Received {
  headers: IncomingMessage['headers'];
  raw: string;
}

const NUDGE = 'Apakah saat ini Bapak/Ibu masih terhubung dengan kami?';

/**
 * issue 4 items 5 and 7: the inactivity nudges end to end, through the generic API channel and its callback, with the
 * durations shortened through the settings API. The customer writes, the agent answers, the customer goes silent:
 * the integrator receives the question twice and then the closing text, each signed and from `system`, and the
 * conversation ends closed for no response.
 */
describe('a silent customer on the API channel is nudged twice and the conversation closed', () => {
  const env = testEnv();
  const prefix = `${env.redisPrefix}:e2e-nudge-${randomUUID().slice(0, 8)}`;
  const logger = createLogger({ service: 'e2e', level: 'warn', pretty: false });
  const db = createDb({ connectionString: env.databaseUrl, max: 20 });
  const connections = [createRedis(env.redisUrl), createRedis(env.redisUrl), createRedis(env.redisUrl), createRedis(env.redisUrl)] as const;
  const [routerRedis, gatewayRedis, inboxRedis, ticketsRedis] = connections;
  const secretBox = createSecretBox(env.secretKey);
  const callbacks: Received[] = [];
  let callbackServer: Server;
  let callbackUrl: string;
  let router: RunningRouter;
  let gateway: Gateway;
  let tickets: RunningTickets;
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
    tickets = await startTickets({ db, redis: ticketsRedis, prefix, logger, metrics: createMetrics('tickets') });
  });

  afterAll(async () => {
    await tickets?.close();
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

  it('walks from the customer’s message to the close for no response', async () => {
    const admin = tenant.users.admin!.token;
    const agent = tenant.users.agent1!.token;
    const settings = await api('PATCH', '/v1/tenant/settings', admin, {
      brand: 'Toko Online',
      inactivity: { firstNudgeSeconds: 1, secondNudgeSeconds: 1, closeSeconds: 1 },
    });
    expect(settings.status).toBe(200);
    expect(settings.body.inactivity).toMatchObject({ firstNudgeSeconds: 1, secondNudgeSeconds: 1, closeSeconds: 1 });

    const created = await api('POST', '/v1/channels', admin, { type: 'api', name: 'Toko Online', config: { callbackUrl } });
    expect(created.status).toBe(201);
    const { id: channelId, secret } = created.body as { id: string; secret: string };
    expect((await api('PUT', '/v1/agents/me/presence', agent, { status: 'online' })).status).toBe(200);

    // The customer writes; the integrator signs and posts it; the router hands it to the online agent.
    const raw = JSON.stringify({ messageId: `wa-${randomUUID()}`, from: { id: 'cust-62813', name: 'Sari' }, text: 'Pesanan saya belum sampai' });
    const ts = Math.floor(Date.now() / 1000);
    const hook = await fetch(`${gatewayUrl}/webhooks/api/${channelId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sapa-timestamp': String(ts), 'x-sapa-signature': signPayload(secret, ts, raw) },
      body: raw,
    });
    expect(hook.status).toBe(202);
    const conversation = await waitFor(async () => {
      const row = await db.selectFrom('conversations').select(['id', 'status']).where('channel_id', '=', channelId).executeTakeFirst();
      return row?.status === 'assigned' ? row : undefined;
    });

    // The agent answers, then the customer says nothing more.
    const reply = await api('POST', `/v1/conversations/${conversation.id}/messages`, agent, { text: 'Baik Bu Sari, kami cek dulu ya. Mohon ditunggu.' });
    expect(reply.status).toBe(201);

    const closed = await waitFor(async () => {
      const res = await api('GET', `/v1/conversations/${conversation.id}`, agent);
      return res.body.status === 'closed' ? res.body : undefined;
    }, 15_000);
    expect(closed).toMatchObject({ status: 'closed', closeReason: 'no_response' });

    // The integrator received the reply, the question twice and the closing text, each signed.
    await waitFor(async () => (callbacks.length >= 4 ? true : undefined), 10_000);
    const bodies = callbacks.map((c) => {
      const check = verifySignature(
        secret,
        { timestamp: c.headers['x-sapa-timestamp'] as string, signature: c.headers['x-sapa-signature'] as string },
        Buffer.from(c.raw),
        Math.floor(Date.now() / 1000),
      );
      expect(check).toEqual({ ok: true });
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
    const transcript = await api('GET', `/v1/conversations/${conversation.id}/messages`, agent);
    expect(transcript.body.items.map((m: { authorType: string }) => m.authorType)).toEqual(['contact', 'agent', 'system', 'system', 'system']);
  });
});

async function waitFor<T>(find: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
