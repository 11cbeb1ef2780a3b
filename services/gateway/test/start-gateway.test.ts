import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signPayload, type OutboundDelivery } from '@sapa/contracts';
import { createDb, createSecretBox, type DB, type Kysely } from '@sapa/db';
import { findDelivery } from '@sapa/db/queries/deliveries';
import { createProducer, createRedis, type Redis } from '@sapa/queue';
import { ConfigError, createLogger, createMetrics } from '@sapa/service-kit';
import { createApiChannel, createTenant, testEnv } from '@sapa/test-support';
import { loadGatewayConfig, startGateway } from '../src/index.js';
import { trustProxyOf } from '../src/config.js';
import { startCallbackServer } from './helpers/callback-server.js';
import { seedReply } from './helpers/seed-reply.js';
import { waitFor } from './helpers/wait-for.js';

const env = testEnv();
let db: Kysely<DB>;
let redis: Redis;

beforeAll(() => {
  db = createDb({ connectionString: env.databaseUrl, max: 4 });
  redis = createRedis(env.redisUrl);
});

afterAll(async () => {
  await redis.quit();
  await db.destroy();
});

describe('startGateway', () => {
  it('listens for webhooks and sends replies until closed, then stops both', async () => {
    const prefix = `${env.redisPrefix}:gw-${randomUUID()}`;
    const tenant = await createTenant(db, {});
    let secret = '';
    const callback = await startCallbackServer(() => secret);
    const channel = await createApiChannel(db, tenant.id, { callbackUrl: callback.url });
    secret = channel.secret;
    const metrics = createMetrics('gateway');
    const gateway = await startGateway({
      db,
      redis,
      prefix,
      secretBox: createSecretBox(env.secretKey),
      logger: createLogger({ service: 'gateway-test', level: 'silent', pretty: false }),
      metrics,
      host: '127.0.0.1',
      port: 0,
    });
    const producer = createProducer(redis, prefix);
    try {
      const { port } = gateway.app.server.address() as AddressInfo;
      const raw = JSON.stringify({ messageId: 'live-1', from: { id: 'c1' }, text: 'Halo' });
      const ts = Math.floor(Date.now() / 1000);
      const res = await fetch(`http://127.0.0.1:${port}/webhooks/api/${channel.id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-sapa-timestamp': String(ts), 'x-sapa-signature': signPayload(secret, ts, raw) },
        body: raw,
      });
      expect(res.status).toBe(202);
      expect(await producer.queue('inbound').getJobCounts('waiting')).toMatchObject({ waiting: 1 });

      const seeded = await seedReply(db, tenant.id, channel.id, { teamId: tenant.teamId, authorType: 'system' });
      const payload: OutboundDelivery = { tenantId: tenant.id, deliveryId: seeded.deliveryId, messageId: seeded.messageId, replay: 0 };
      await producer.add('outbound.api', payload);
      await waitFor(async () => ((await findDelivery(db, tenant.id, seeded.deliveryId))?.status === 'sent' ? true : undefined), 'the reply to be sent');
      expect(callback.received).toHaveLength(1);
      const counted = /queue="outbound.api",outcome="completed",service="gateway"} 1/;
      await waitFor(async () => (counted.test(await metrics.registry.getSingleMetricAsString('sapa_jobs_total')) ? true : undefined), 'the job to be counted');
    } finally {
      await gateway.close();
      await producer.queue('inbound').obliterate({ force: true });
      await producer.queue('outbound.api').obliterate({ force: true });
      await producer.close();
      await callback.close();
    }
    expect(gateway.app.server.listening).toBe(false);
  });
});

describe('gateway config', () => {
  it('defaults to port 3100 on the loopback interface', () => {
    const config = loadGatewayConfig({ SAPA_SECRET_KEY: 'a-long-enough-secret-key' });
    expect(config).toMatchObject({ GATEWAY_PORT: 3100, GATEWAY_HOST: '127.0.0.1', SAPA_REDIS_PREFIX: 'sapa' });
  });

  it.each([
    ['false', false],
    ['true', true],
    ['10.0.0.0/8, 192.168.1.10', ['10.0.0.0/8', '192.168.1.10']],
  ])('reads GATEWAY_TRUST_PROXY=%s for the live chat\'s per-address limits', (value, expected) => {
    expect(trustProxyOf(loadGatewayConfig({ SAPA_SECRET_KEY: 'a-long-enough-secret-key', GATEWAY_TRUST_PROXY: value }).GATEWAY_TRUST_PROXY)).toEqual(expected);
  });

  it('lists every bad variable at once', () => {
    expect(() => loadGatewayConfig({ GATEWAY_PORT: 'eighty', SAPA_SECRET_KEY: 'short' })).toThrow(ConfigError);
    try {
      loadGatewayConfig({ GATEWAY_PORT: 'eighty', SAPA_SECRET_KEY: 'short' });
    } catch (err) {
      const problems = (err as ConfigError).problems.join('\n');
      expect(problems).toMatch(/GATEWAY_PORT/);
      expect(problems).toMatch(/SAPA_SECRET_KEY/);
    }
  });
});
