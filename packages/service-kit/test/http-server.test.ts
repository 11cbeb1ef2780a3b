import { afterAll, describe, expect, it } from '@jest/globals';
import { Type } from '@sinclair/typebox';
import { pino } from 'pino';
import { createHttpServer } from '../src/http-server.js';
import { Conflict } from '../src/errors.js';
import { createMetrics } from '../src/metrics.js';

describe('the HTTP server every service shares', () => {
  let redisUp = true;
  const app = createHttpServer({
    logger: pino({ level: 'silent' }),
    metrics: createMetrics('test'),
    readiness: [
      { name: 'postgres', check: async () => 1 },
      { name: 'redis', check: async () => { if (!redisUp) throw new Error('connection refused'); } },
    ],
  });
  app.post('/things', { schema: { body: Type.Object({ name: Type.String() }) } }, async () => ({ ok: true }));
  app.get('/conflict', async () => {
    throw Conflict('the conversation is closed', { conversationId: 'c-1' });
  });
  app.get('/boom', async () => {
    throw new Error('database password is hunter2');
  });
  afterAll(() => app.close());

  it.each([
    ['a schema violation', 'POST', '/things', { name: { first: 'Budi' } }, 400, 'validation_failed'],
    ['broken JSON', 'POST', '/things', '{"name":', 400, 'invalid_json'],
    ['a coded error', 'GET', '/conflict', undefined, 409, 'conflict'],
    ['an unknown route', 'GET', '/nope', undefined, 404, 'route_not_found'],
    ['an unexpected failure', 'GET', '/boom', undefined, 500, 'internal_error'],
  ])('answers %s in the contract error shape', async (_name, method, url, payload, status, code) => {
    const res = await app.inject({
      method: method as 'GET' | 'POST',
      url,
      ...(payload !== undefined && { payload: typeof payload === 'string' ? payload : JSON.stringify(payload), headers: { 'content-type': 'application/json' } }),
    });
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(typeof res.json().error.message).toBe('string');
    expect(res.body).not.toContain('hunter2');
  });

  it('reports readiness per dependency', async () => {
    expect((await app.inject('/readyz')).statusCode).toBe(200);
    redisUp = false;
    const res = await app.inject('/readyz');
    expect(res.statusCode).toBe(503);
    expect(res.json().checks).toEqual({ postgres: 'ok', redis: 'failing: connection refused' });
    redisUp = true;
  });

  it('serves liveness and Prometheus metrics with request latency', async () => {
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    await app.inject('/healthz');
    const metrics = await app.inject('/metrics');
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body).toContain('sapa_http_request_duration_seconds_bucket');
    expect(metrics.body).toContain('route="/healthz"');
  });
});
