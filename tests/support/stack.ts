import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { attachmentSigningKey, createLocalDiskStore } from '@sapa/attachments';
import { signPayload, verifySignature } from '@sapa/contracts';
import { createDb, createSecretBox } from '@sapa/db';
import { startGateway } from '@sapa/gateway';
import { startInboxApi } from '@sapa/inbox-api';
import { createEventBus, createProducer, createRedis } from '@sapa/queue';
import { startRouter } from '@sapa/router';
import { createLogger, createMetrics } from '@sapa/service-kit';
import { startTickets } from '@sapa/tickets';
import { startVoice } from '@sapa/voice';
import WebSocket from 'ws';
import { testEnv } from './test-env.js';

/**
 * The whole of Sapa in this process, on real Postgres and Redis under a Redis prefix of its own: router,
 * gateway and inbox API listening on free ports, and the ticket service when asked. For end-to-end tests.
 * `slaMinuteMs` shortens the wall-clock minutes of playbook SLAs (a "2-minute" reminder in 2 × slaMinuteMs).
 * The inbox API registers webhooks (Telegram's setWebhook) at this stack's gateway unless `publicWebhookUrl` says otherwise.
 */
export async function startStack(
  options: { tickets?: boolean; slaMinuteMs?: number; ticketSweepIntervalMs?: number; publicWebhookUrl?: string; attachments?: boolean; voice?: boolean } = {},
) {
  const env = testEnv();
  const prefix = `${env.redisPrefix}:e2e-${randomUUID().slice(0, 8)}`;
  const logger = createLogger({ service: 'e2e', level: 'warn', pretty: false });
  const db = createDb({ connectionString: env.databaseUrl, max: 20 });
  const secretBox = createSecretBox(env.secretKey);
  // One Redis connection per service, as in production.
  const [routerRedis, gatewayRedis, inboxRedis, ticketsRedis] = [1, 2, 3, 4].map(() => createRedis(env.redisUrl)) as [
    ReturnType<typeof createRedis>,
    ReturnType<typeof createRedis>,
    ReturnType<typeof createRedis>,
    ReturnType<typeof createRedis>,
  ];

  // `attachments`: one local store under the temporary directory for the gateway (media worker, links) and the inbox API.
  const filesDir = options.attachments ? await mkdtemp(join(tmpdir(), 'sapa-e2e-files-')) : undefined;
  // Test files are served from 127.0.0.1: allowed here, refused in production (SAPA_MEDIA_ALLOW_PRIVATE_HOSTS).
  const files = filesDir ? { store: createLocalDiskStore(filesDir), signingKey: attachmentSigningKey(env.secretKey), allowPrivateHosts: true } : undefined;
  const router = await startRouter({ db, redis: routerRedis, prefix, logger, metrics: createMetrics('router'), secretBox });
  const gateway = await startGateway({ db, redis: gatewayRedis, prefix, secretBox, logger, metrics: createMetrics('gateway'), host: '127.0.0.1', port: 0, ...(files && { attachments: files }),
    // A live chat visitor counts as gone 1 s after their last socket closed (5 s in production), so leave tests run fast.
    livechat: { leaveGraceMs: 1000 } });
  const gatewayUrl = `http://127.0.0.1:${(gateway.app.server.address() as AddressInfo).port}`;
  const inbox = await startInboxApi(
    {
      db, redis: inboxRedis, prefix, secretBox, logger, metrics: createMetrics('inbox-api'),
      producer: createProducer(inboxRedis, prefix), eventBus: createEventBus(inboxRedis, prefix),
      ...(files && { files }),
    },
    { host: '127.0.0.1', port: 0 },
    { publicWebhookUrl: options.publicWebhookUrl ?? gatewayUrl, ...(options.slaMinuteMs && { slaMinuteMs: options.slaMinuteMs }) },
  );
  const tickets = options.tickets
    ? await startTickets({
        db,
        redis: ticketsRedis,
        prefix,
        logger,
        metrics: createMetrics('tickets'),
        ticketSweepIntervalMs: options.ticketSweepIntervalMs,
        // Its timers reach its own queues when they are planned; sweeping the shared test database would fire other
        // test files' timers here, on queues and event channels those tests never see.
        ticketSweepTenants: () => [],
      })
    : undefined;
  // The voice service applies call events (queue voice.events); AMI reading is left to tests that run a fake PBX.
  const voiceRedis = options.voice ? createRedis(env.redisUrl) : undefined;
  const voice = voiceRedis
    ? await startVoice({ db, redis: voiceRedis, prefix, logger, metrics: createMetrics('voice'), secretBox, ami: false })
    : undefined;
  const inboxUrl = `http://127.0.0.1:${(inbox.app.server.address() as AddressInfo).port}`;

  return {
    db,
    /** This stack's Redis prefix: a service started beside it (the email service) joins its queues with it. */
    prefix,
    inboxUrl,
    gatewayUrl,
    /** Opens the live stream as the holder of `token`; `frames` fills with every `{type, data}` it receives. */
    async stream(token: string) {
      const frames: Array<{ type: string; data: Record<string, unknown> }> = [];
      const ws = new WebSocket(`${inboxUrl.replace('http', 'ws')}/v1/stream?token=${encodeURIComponent(token)}`);
      ws.on('message', (raw) => frames.push(JSON.parse(String(raw))));
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      return { frames, close: () => ws.close() };
    },
    /** Calls the inbox API as the holder of `token`; the body is JSON. */
    async api(method: string, path: string, token: string, body?: unknown) {
      const res = await fetch(`${inboxUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return { status: res.status, body: (await res.json()) as any };
    },
    /** Posts a webhook to an api channel as an integrator does: signed over "<timestamp>.<raw body>". */
    postWebhook(channelId: string, secret: string, payload: unknown) {
      const raw = JSON.stringify(payload);
      const ts = Math.floor(Date.now() / 1000);
      return fetch(`${gatewayUrl}/webhooks/api/${channelId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-sapa-timestamp': String(ts), 'x-sapa-signature': signPayload(secret, ts, raw) },
        body: raw,
      });
    },
    async close() {
      await voice?.close();
      await voiceRedis?.quit();
      await tickets?.close();
      await inbox.close();
      await gateway.close();
      await router.close();
      await Promise.all([routerRedis, gatewayRedis, inboxRedis, ticketsRedis].map((c) => c.quit()));
      await db.destroy();
      if (filesDir) await rm(filesDir, { recursive: true, force: true });
    },
  };
}

export interface ReceivedCallback {
  headers: IncomingMessage['headers'];
  raw: string;
}

/** An integrator's receiver for Sapa's callbacks: records every request and answers 200. */
export async function startCallbackServer() {
  const received: ReceivedCallback[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sapa`,
    received,
    /** Whether a callback carries a valid signature of `secret`, checked as an integrator would. */
    verified(callback: ReceivedCallback, secret: string) {
      const headers = { timestamp: callback.headers['x-sapa-timestamp'] as string, signature: callback.headers['x-sapa-signature'] as string };
      return verifySignature(secret, headers, Buffer.from(callback.raw), Math.floor(Date.now() / 1000)).ok;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Polls until `find` returns something other than undefined. */
export async function waitFor<T>(find: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}
