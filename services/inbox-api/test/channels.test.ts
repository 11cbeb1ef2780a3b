import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTenant, type TestTenant } from '@sapa/test-support';
import { bearer, createHarness, type Harness } from './harness.js';

describe('channels', () => {
  let h: Harness;
  let t: TestTenant;
  beforeAll(async () => {
    h = await createHarness();
    t = await createTenant(h.deps.db);
  });
  afterAll(() => h.close());

  it('creates an api channel, shows its signing secret once, and keeps it only encrypted at rest', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/v1/channels',
      headers: bearer(t.users.admin!.token),
      payload: { type: 'api', name: 'CRM', teamId: t.teams.tier2, config: { callbackUrl: 'https://crm.example/sapa' } },
    });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ type: 'api', name: 'CRM', teamId: t.teams.tier2, status: 'active' });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(Number.isNaN(Date.parse(created.createdAt))).toBe(false);

    const row = await h.deps.db.selectFrom('channels').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.tenant_id).toBe(t.id);
    expect(row.config).toEqual({ callbackUrl: 'https://crm.example/sapa' });
    expect(row.secrets_enc).not.toContain(created.secret);
    expect(row.secrets_enc).not.toContain(created.secret.slice(6));
    expect(h.deps.secretBox.open(row.secrets_enc!)).toEqual({ signingSecret: created.secret });

    const list = await h.app.inject({ method: 'GET', url: '/v1/channels', headers: bearer(t.users.admin!.token) });
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toContainEqual({ id: created.id, type: 'api', name: 'CRM', teamId: t.teams.tier2, status: 'active' });
    expect(list.body).not.toContain(created.secret);
    expect(list.body).not.toContain('callbackUrl');

    const audit = await h.deps.db.selectFrom('audit_log').selectAll().where('target_id', '=', created.id).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ tenant_id: t.id, action: 'channel.created', actor_id: t.users.admin!.id, details: { type: 'api', name: 'CRM' } });
    expect(JSON.stringify(audit)).not.toContain(created.secret);
  });

  it('gives each channel a secret of its own, and leaves teamId null when none is named', async () => {
    const make = () =>
      h.app.inject({ method: 'POST', url: '/v1/channels', headers: bearer(t.users.admin!.token), payload: { type: 'api', name: 'Shop', config: { callbackUrl: 'http://127.0.0.1:9/cb' } } });
    const [a, b] = [(await make()).json(), (await make()).json()];
    expect(a.secret).not.toBe(b.secret);
    expect(a.teamId).toBeNull();
  });
});
