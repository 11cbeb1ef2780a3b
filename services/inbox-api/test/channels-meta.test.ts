import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTenant, type TestTenant } from '@sapa/test-support';
import { expectInvalidConfig, expectOnlySealed, postChannel } from './channel-checks.js';
import { bearer, createHarness, type Harness } from './harness.js';

const PUBLIC_WEBHOOK_URL = 'https://hooks.sapa.example/gw';

const CONFIG = {
  pageId: '108273645517720',
  pageAccessToken: 'EAAGinboxTestPageAccessToken0123456789',
  appSecret: 'inbox-test-app-secret-0123456789',
  verifyToken: 'inbox-test-verify-token',
};
const SECRETS = { pageAccessToken: CONFIG.pageAccessToken, appSecret: CONFIG.appSecret, verifyToken: CONFIG.verifyToken };

let h: Harness;
let t: TestTenant;
beforeAll(async () => {
  h = await createHarness({ publicWebhookUrl: PUBLIC_WEBHOOK_URL });
  t = await createTenant(h.deps.db);
});
afterAll(() => h.close());

const create = (type: 'messenger' | 'instagram', config: Record<string, unknown>, name = 'Toko Online') => postChannel(h, t.users.admin!.token, { type, name, config });
const configOf = async (id: string) => (await h.deps.db.selectFrom('channels').select('config').where('id', '=', id).executeTakeFirstOrThrow()).config;

describe.each(['messenger', 'instagram'] as const)('creating a channel of type %s', (type) => {
  it('seals the Page token, app secret and verify token, defaults the Graph API base, and answers the meta webhook URL', async () => {
    const res = await create(type, CONFIG);

    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ type, name: 'Toko Online', teamId: null, status: 'active' });
    expect(created.secret).toBeUndefined();
    expect(created.webhookUrl).toBe(`${PUBLIC_WEBHOOK_URL}/webhooks/meta/${created.id}`);
    const { row, listed } = await expectOnlySealed(h, t.users.admin!.token, created.id, SECRETS);
    expect(row.config).toEqual({ pageId: CONFIG.pageId, graphApiBase: 'https://graph.facebook.com/v21.0' });
    expect(listed).toEqual({ id: created.id, type, name: 'Toko Online', teamId: null, status: 'active' });
  });

  it('keeps a Graph API base of its own, without a trailing slash', async () => {
    const res = await create(type, { ...CONFIG, graphApiBase: 'http://127.0.0.1:4010/v21.0/' }, 'Fake Graph');
    expect(await configOf(res.json().id)).toMatchObject({ graphApiBase: 'http://127.0.0.1:4010/v21.0' });
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
    const res = await create(type, JSON.parse(JSON.stringify(config)), 'Salah');

    expectInvalidConfig(res, path);
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
  it('keeps the Instagram account id readable when given, so webhooks of other accounts are left out', async () => {
    const res = await create('instagram', { ...CONFIG, instagramAccountId: '17841400000000001' }, 'IG');
    expect(res.statusCode).toBe(201);
    expect(await configOf(res.json().id)).toEqual({ pageId: CONFIG.pageId, graphApiBase: 'https://graph.facebook.com/v21.0', instagramAccountId: '17841400000000001' });
  });

  it.each([
    ['an instagram account id that is not digits', 'instagram' as const, { ...CONFIG, instagramAccountId: 'toko.online' }, '/config/instagramAccountId'],
    ['an instagram account id on a messenger channel', 'messenger' as const, { ...CONFIG, instagramAccountId: '17841400000000001' }, '/config'],
  ])('refuses %s with 400 invalid_channel_config', async (_case, type, config, path) => {
    expectInvalidConfig(await create(type, config, 'IG'), path);
  });
});
