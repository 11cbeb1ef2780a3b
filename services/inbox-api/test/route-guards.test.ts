import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { USERS, createWorld, type World } from './world.js';
import { bearer, createHarness, type Harness } from './harness.js';
import { ROUTE_CASES } from './route-cases.js';

describe('route guards', () => {
  let h: Harness;
  let w: World;
  beforeAll(async () => {
    h = await createHarness();
    w = await createWorld(h.deps.db);
  });
  afterAll(() => h.close());

  const roleRows = ROUTE_CASES.flatMap((c) => USERS.map((user) => [c.route, user, c.expected[user], c] as const));

  it.each(roleRows)('%s as %s answers %i', async (_route, user, status, c) => {
    const req = await c.request(w);
    const res = await h.app.inject({ ...req, headers: { ...req.headers, ...bearer(w.token(user)) } });
    expect({ status: res.statusCode, body: res.statusCode >= 400 ? res.json() : undefined }).toMatchObject({ status });
    if (status === 403) expect(res.json().error.code).toMatch(/^(forbidden|not_an_agent|not_an_approver)$/);
    if (status === 404) expect(res.json().error.code).toBe(c.notFound ?? 'conversation_not_found');
  });

  const authRows = ROUTE_CASES.flatMap((c) =>
    [
      ['no token', {}],
      ['a malformed Authorization header', { authorization: 'Token abc' }],
      ['an unknown token', bearer('sapa_not-a-real-token')],
    ].map(([why, headers]) => [c.route, why as string, headers as Record<string, string>, c] as const),
  );

  it.each(authRows)('%s with %s answers 401 unauthorized', async (_route, _why, headers, c) => {
    const req = await c.request(w);
    const res = await h.app.inject({ ...req, headers: { ...req.headers, ...headers } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthorized');
  });

  it('refuses an expired session token and a revoked one with 401', async () => {
    await h.deps.db.updateTable('auth_tokens').set({ expires_at: new Date(Date.now() - 1000) }).where('user_id', '=', w.userId('agent2')).execute();
    await h.deps.db.updateTable('auth_tokens').set({ revoked_at: new Date() }).where('user_id', '=', w.userId('tier2')).execute();
    for (const user of ['agent2', 'tier2'] as const) {
      const res = await h.app.inject({ method: 'GET', url: '/v1/auth/me', headers: bearer(w.token(user)) });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
    }
  });

  it('refuses the token of a deactivated user with 401', async () => {
    const res0 = await h.app.inject({ method: 'GET', url: '/v1/auth/me', headers: bearer(w.token('qc')) });
    expect(res0.statusCode).toBe(200);
    await h.deps.db.updateTable('users').set({ is_active: false }).where('id', '=', w.userId('qc')).execute();
    const res = await h.app.inject({ method: 'GET', url: '/v1/auth/me', headers: bearer(w.token('qc')) });
    expect(res.statusCode).toBe(401);
  });
});
