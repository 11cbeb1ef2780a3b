import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTenant, type TestTenant } from '@sapa/test-support';
import { bearer, createHarness, type Harness } from './harness.js';

const PUBLIC_WEBHOOK_URL = 'https://hooks.sapa.example/gw';

const CONFIG = {
  pageId: '108273645517720',
  pageAccessToken: 'EAAGinboxTestPageAccessToken0123456789',
  appSecret: 'inbox-test-app-secret-0123456789',
  verifyToken: 'inbox-test-verify-token',
};
const SECRETS = { pageAccessToken: CONFIG.pageAccessToken, appSecret: CONFIG.appSecret, verifyToken: CONFIG.verifyToken };

describe.each(['messenger', 'instagram'] as const)('creating a channel of type %s', (type) => {
  let h: Harness;
  let t: TestTenant;
  beforeAll(async () => {
    h = await createHarness({ publicWebhookUrl: PUBLIC_WEBHOOK_URL });
    t = await createTenant(h.deps.db);
  });
  afterAll(async () => {
    await h.close();
  });

  const create = (config: Record<string, unknown>, name = 'Toko Online') =>
    h.app.inject({ method: 'POST', url: '/v1/channels', headers: bearer(t.users.admin!.token), payload: { type, name, config } });
  const row = (id: string) => h.deps.db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('seals the Page token, app secret and verify token, defaults the Graph API base, and answers the meta webhook URL', async () => {
    const res = await create(CONFIG);

    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ type, name: 'Toko Online', teamId: null, status: 'active' });
    expect(created.secret).toBeUndefined();
    expect(created.webhookUrl).toBe(`${PUBLIC_WEBHOOK_URL}/webhooks/meta/${created.id}`);
    const stored = await row(created.id);
    expect(stored.config).toEqual({ pageId: CONFIG.pageId, graphApiBase: 'https://graph.facebook.com/v21.0' });
    expect(h.deps.secretBox.open(stored.secrets_enc!)).toEqual(SECRETS);
    for (const secret of Object.values(SECRETS)) expect(stored.secrets_enc).not.toContain(secret);

    const list = await h.app.inject({ method: 'GET', url: '/v1/channels', headers: bearer(t.users.admin!.token) });
    expect(list.json().items).toContainEqual({ id: created.id, type, name: 'Toko Online', teamId: null, status: 'active' });
    for (const secret of Object.values(SECRETS)) expect(list.body).not.toContain(secret);
    const audit = await h.deps.db.selectFrom('audit_log').selectAll().where('target_id', '=', created.id).executeTakeFirstOrThrow();
    for (const secret of Object.values(SECRETS)) expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it('keeps a Graph API base of its own, without a trailing slash', async () => {
    const res = await create({ ...CONFIG, graphApiBase: 'http://127.0.0.1:4010/v21.0/' }, 'Fake Graph');
    expect((await row(res.json().id)).config).toMatchObject({ graphApiBase: 'http://127.0.0.1:4010/v21.0' });
  });

  it.each([
    ['the Page id is not digits', { ...CONFIG, pageId: 'tokoonline' }, '/config/pageId'],
    ['the Page access token is missing', { ...CONFIG, pageAccessToken: undefined }, '/config'],
    ['the Page access token has spaces', { ...CONFIG, pageAccessToken: 'EAAG with spaces 0123456789' }, '/config/pageAccessToken'],
    ['the app secret is too short', { ...CONFIG, appSecret: 'short' }, '/config/appSecret'],
    ['the verify token is missing', { ...CONFIG, verifyToken: undefined }, '/config'],
    ['the Graph API base is not an http(s) URL', { ...CONFIG, graphApiBase: 'ftp://graph.facebook.com' }, '/config/graphApiBase'],
    ['there is an unknown field', { ...CONFIG, phoneNumberId: '1' }, '/config'],
  ])('refuses with 400 invalid_channel_config when %s, creating nothing', async (_case, config, path) => {
    const res = await create(JSON.parse(JSON.stringify(config)), 'Salah');

    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_channel_config');
    expect(res.json().error.details.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(res.body).not.toContain(CONFIG.pageAccessToken);
    const named = await h.deps.db.selectFrom('channels').select('id').where('tenant_id', '=', t.id).where('name', '=', 'Salah').execute();
    expect(named).toEqual([]);
  });

  it('refuses a member who is not an admin with 403', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/v1/channels', headers: bearer(t.users.agent1!.token), payload: { type, name: 'Agen', config: CONFIG } });
    expect(res.statusCode).toBe(403);
  });
});

describe('an instagram channel', () => {
  let h: Harness;
  let t: TestTenant;
  beforeAll(async () => {
    h = await createHarness({ publicWebhookUrl: PUBLIC_WEBHOOK_URL });
    t = await createTenant(h.deps.db);
  });
  afterAll(async () => {
    await h.close();
  });

  const create = (type: 'messenger' | 'instagram', config: Record<string, unknown>) =>
    h.app.inject({ method: 'POST', url: '/v1/channels', headers: bearer(t.users.admin!.token), payload: { type, name: 'IG', config } });

  it('keeps the Instagram account id readable when given, so webhooks of other accounts are left out', async () => {
    const res = await create('instagram', { ...CONFIG, instagramAccountId: '17841400000000001' });
    expect(res.statusCode).toBe(201);
    const stored = await h.deps.db.selectFrom('channels').select('config').where('id', '=', res.json().id).executeTakeFirstOrThrow();
    expect(stored.config).toEqual({ pageId: CONFIG.pageId, graphApiBase: 'https://graph.facebook.com/v21.0', instagramAccountId: '17841400000000001' });
  });

  it.each([
    ['an instagram account id that is not digits', 'instagram' as const, { ...CONFIG, instagramAccountId: 'toko.online' }, '/config/instagramAccountId'],
    ['an instagram account id on a messenger channel', 'messenger' as const, { ...CONFIG, instagramAccountId: '17841400000000001' }, '/config'],
  ])('refuses %s with 400 invalid_channel_config', async (_case, type, config, path) => {
    const res = await create(type, config);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.errors.map((e: { path: string }) => e.path)).toContain(path);
  });
});
