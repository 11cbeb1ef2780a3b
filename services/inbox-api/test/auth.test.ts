import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { hashPassword, hashToken } from '@sapa/db';
import { createTenant, type TestTenant } from '@sapa/test-support';
import { bearer, createHarness, type Harness } from './harness.js';
import { countRows } from './seed.js';

describe('auth', () => {
  let h: Harness;
  let t: TestTenant;
  beforeAll(async () => {
    h = await createHarness({ sessionTtlSeconds: 3600 });
    t = await createTenant(h.deps.db);
    await h.deps.db.updateTable('users').set({ password_hash: await hashPassword('demo12345') }).where('id', '=', t.users.lead!.id).execute();
  });
  afterAll(() => h.close());

  const login = (email: string, password: string) => h.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password } });

  it('logs a user in with email and password and returns a working session token with the user', async () => {
    const res = await login(t.users.lead!.email.toUpperCase(), 'demo12345');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user).toEqual({ id: t.users.lead!.id, tenantId: t.id, name: 'lead', email: t.users.lead!.email, roles: ['team_leader'] });
    expect(body.token).toMatch(/^sapa_/);

    const stored = await h.deps.db.selectFrom('auth_tokens').selectAll().where('token_hash', '=', hashToken(body.token)).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ kind: 'session', user_id: t.users.lead!.id, tenant_id: t.id });
    // Stored only as its hash, expiring after the configured session length.
    expect(JSON.stringify(stored)).not.toContain(body.token);
    expect(stored.expires_at!.getTime() - Date.now()).toBeGreaterThan(3500_000);
    expect(stored.expires_at!.getTime() - Date.now()).toBeLessThanOrEqual(3600_000);

    const me = await h.app.inject({ method: 'GET', url: '/v1/auth/me', headers: bearer(body.token) });
    expect(me.json()).toEqual(body.user);
  });

  it.each([
    ['a wrong password', () => t.users.lead!.email, 'demo123456'],
    ['an unknown email', () => 'nobody@nowhere.test', 'demo12345'],
    ['a user without a password', () => t.users.agent1!.email, 'demo12345'],
  ])('answers %s with the same 401 invalid_credentials', async (_why, email, password) => {
    const before = await countRows(h.deps.db, t.id, 'auth_tokens');
    const res = await login(email(), password);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: { code: 'invalid_credentials', message: 'the email or password is wrong' } });
    expect(await countRows(h.deps.db, t.id, 'auth_tokens')).toBe(before);
  });

  it('refuses to log in a deactivated user', async () => {
    const other = await createTenant(h.deps.db);
    await h.deps.db.updateTable('users').set({ password_hash: await hashPassword('pw-123456'), is_active: false }).where('id', '=', other.users.agent1!.id).execute();
    const res = await login(other.users.agent1!.email, 'pw-123456');
    expect([res.statusCode, res.json().error.code]).toEqual([401, 'invalid_credentials']);
  });

  it('creates an API token once, acting with its own roles and owned by the admin, and audit-logs it', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/v1/api-tokens', headers: bearer(t.users.admin!.token), payload: { name: 'reporting', roles: ['quality_control'] } });
    expect(res.statusCode).toBe(201);
    const { id, token } = res.json();
    const row = await h.deps.db.selectFrom('auth_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'api', name: 'reporting', roles: ['quality_control'], user_id: t.users.admin!.id, expires_at: null, token_hash: hashToken(token) });

    // QC may list agents but is not an admin: the token acts with QC's rights only.
    const agents = await h.app.inject({ method: 'GET', url: '/v1/agents', headers: bearer(token) });
    expect(agents.statusCode).toBe(200);
    const channels = await h.app.inject({ method: 'GET', url: '/v1/channels', headers: bearer(token) });
    expect(channels.statusCode).toBe(403);
    const me = await h.app.inject({ method: 'GET', url: '/v1/auth/me', headers: bearer(token) });
    expect(me.json()).toMatchObject({ id: t.users.admin!.id, roles: ['quality_control'] });

    const audit = await h.deps.db.selectFrom('audit_log').selectAll().where('tenant_id', '=', t.id).where('target_id', '=', id).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: 'api_token.created', actor_id: t.users.admin!.id, target_type: 'auth_token', details: { name: 'reporting', roles: ['quality_control'] } });
    expect(JSON.stringify(audit)).not.toContain(token);
  });
});
