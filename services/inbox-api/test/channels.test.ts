import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createTenant, type TestTenant } from '@sapa/test-support';
import { botApiFailures, startFakeTelegramBotApi, type FakeTelegramBotApi } from '../../../tests/support/fakes/telegram-bot-api.js';
import { expectInvalidConfig, expectOnlySealed, postChannel } from './channel-checks.js';
import { bearer, createHarness, type Harness } from './harness.js';

const PUBLIC_WEBHOOK_URL = 'https://hooks.sapa.example/gw';

describe('channels', () => {
  let h: Harness;
  let t: TestTenant;
  let telegram: FakeTelegramBotApi;
  beforeAll(async () => {
    telegram = await startFakeTelegramBotApi();
    // A trailing slash, as an operator may well write it.
    h = await createHarness({ publicWebhookUrl: `${PUBLIC_WEBHOOK_URL}/` });
    t = await createTenant(h.deps.db);
  });
  afterAll(async () => {
    await h.close();
    await telegram.close();
  });

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

  describe('telegram', () => {
    const BOT_TOKEN = '110201543:AAH-fake-token-for-tests-0123456789';
    const create = (config: Record<string, unknown>, name = 'Bot CS') => postChannel(h, t.users.admin!.token, { type: 'telegram', name, config });
    const channelsNamed = (name: string) => h.deps.db.selectFrom('channels').selectAll().where('tenant_id', '=', t.id).where('name', '=', name).execute();

    beforeEach(() => {
      telegram.requests.length = 0;
    });

    it("creates a telegram channel, points the bot's webhook at the gateway, and keeps both tokens sealed", async () => {
      const res = await create({ botToken: BOT_TOKEN, secretToken: 'my_Secret-token-1', apiBase: `${telegram.url}/` });

      expect(res.statusCode).toBe(201);
      const created = res.json();
      expect(created).toMatchObject({ type: 'telegram', name: 'Bot CS', teamId: null, status: 'active' });
      expect(created.secret).toBeUndefined();
      expect(telegram.requests).toEqual([
        expect.objectContaining({
          httpMethod: 'POST',
          path: `/bot${BOT_TOKEN}/setWebhook`,
          body: { url: `${PUBLIC_WEBHOOK_URL}/webhooks/telegram/${created.id}`, secret_token: 'my_Secret-token-1', allowed_updates: ['message', 'edited_message'] },
        }),
      ]);

      const { row, listed } = await expectOnlySealed(h, t.users.admin!.token, created.id, { botToken: BOT_TOKEN, secretToken: 'my_Secret-token-1' });
      expect(row.config).toEqual({ apiBase: telegram.url });
      expect(listed).toEqual({ id: created.id, type: 'telegram', name: 'Bot CS', teamId: null, status: 'active' });
    });

    it('makes a secret token when the admin gives none, one setWebhook allows, and hands it to Telegram', async () => {
      const res = await create({ botToken: BOT_TOKEN, apiBase: telegram.url }, 'Bot tanpa secret');

      expect(res.statusCode).toBe(201);
      const sent = telegram.calls('setWebhook')[0]!.body.secret_token as string;
      expect(sent).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const [row] = await channelsNamed('Bot tanpa secret');
      expect(h.deps.secretBox.open(row!.secrets_enc!)).toEqual({ botToken: BOT_TOKEN, secretToken: sent });
    });

    it.each([
      ['Telegram refuses the webhook', () => telegram.failNext('setWebhook', botApiFailures.badWebhook()), 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook'],
      ['the bot token is revoked', () => telegram.failNext('setWebhook', botApiFailures.unauthorized()), 'Unauthorized'],
      ['Telegram has trouble', () => telegram.failNext('setWebhook', botApiFailures.internal()), 'Internal Server Error'],
    ])('answers 502 channel_activation_failed and creates nothing when %s', async (_case, arrange, description) => {
      arrange();
      const name = `Bot gagal ${description}`;
      const res = await create({ botToken: BOT_TOKEN, apiBase: telegram.url }, name);

      expect(res.statusCode).toBe(502);
      expect(res.json().error).toMatchObject({ code: 'channel_activation_failed', details: { description } });
      expect(res.body).not.toContain(BOT_TOKEN);
      expect(await channelsNamed(name)).toEqual([]);
    });

    it('answers 502 channel_activation_failed and creates nothing when the Bot API cannot be reached', async () => {
      const res = await create({ botToken: BOT_TOKEN, apiBase: 'http://127.0.0.1:9' }, 'Bot tak terjangkau');

      expect(res.statusCode).toBe(502);
      expect(res.json().error.code).toBe('channel_activation_failed');
      expect(res.json().error.details.description).toMatch(/could not be reached/);
      expect(res.body).not.toContain(BOT_TOKEN);
      expect(await channelsNamed('Bot tak terjangkau')).toEqual([]);
      const audits = await h.deps.db.selectFrom('audit_log').select('details').where('tenant_id', '=', t.id).where('action', '=', 'channel.created').execute();
      expect(audits.map((a) => (a.details as { name?: string }).name)).not.toContain('Bot tak terjangkau');
    });

    it.each([
      ['the bot token is not BotFather\'s shape', { botToken: 'not-a-token' }, '/config/botToken'],
      ['the bot token is missing', { secretToken: 'abc' }, '/config'],
      ['the secret token has a character setWebhook refuses', { botToken: BOT_TOKEN, secretToken: 'no spaces!' }, '/config/secretToken'],
      ['the secret token is longer than 256', { botToken: BOT_TOKEN, secretToken: 'a'.repeat(257) }, '/config/secretToken'],
      ['the api base is not an http(s) URL', { botToken: BOT_TOKEN, apiBase: 'ftp://api.telegram.org' }, '/config/apiBase'],
      ['there is an unknown field', { botToken: BOT_TOKEN, webhookUrl: 'https://x.example' }, '/config'],
    ])('refuses with 400 invalid_channel_config when %s, and calls nobody', async (_case, config, path) => {
      expectInvalidConfig(await create(config, 'Bot salah'), path);
      expect(telegram.requests).toEqual([]);
      expect(await channelsNamed('Bot salah')).toEqual([]);
    });
  });

  describe('whatsapp_cloud', () => {
    const CONFIG = {
      phoneNumberId: '106540352242922',
      accessToken: 'EAAGinboxTestAccessToken0123456789abcdef',
      appSecret: 'inbox-test-app-secret-0123456789',
      verifyToken: 'inbox-test-verify-token',
    };
    const create = (config: Record<string, unknown>, name = 'WA CS') => postChannel(h, t.users.admin!.token, { type: 'whatsapp_cloud', name, config });

    it('creates a whatsapp_cloud channel with the three secrets sealed and the Graph API base defaulted, never listing them', async () => {
      const res = await create(CONFIG);

      expect(res.statusCode).toBe(201);
      const created = res.json();
      expect(created).toMatchObject({ type: 'whatsapp_cloud', name: 'WA CS', teamId: null, status: 'active' });
      expect(created.secret).toBeUndefined();
      // The address to paste into the Meta app's webhook settings.
      expect(created.webhookUrl).toBe(`${PUBLIC_WEBHOOK_URL}/webhooks/whatsapp/${created.id}`);
      const { phoneNumberId: _, ...secrets } = CONFIG;
      const { row, listed } = await expectOnlySealed(h, t.users.admin!.token, created.id, secrets);
      expect(row.config).toEqual({ phoneNumberId: CONFIG.phoneNumberId, graphApiBase: 'https://graph.facebook.com/v21.0' });
      expect(listed).toEqual({ id: created.id, type: 'whatsapp_cloud', name: 'WA CS', teamId: null, status: 'active' });
    });

    it('keeps a Graph API base of its own, without a trailing slash', async () => {
      const res = await create({ ...CONFIG, graphApiBase: 'http://127.0.0.1:4010/v21.0/' }, 'WA fake');
      const row = await h.deps.db.selectFrom('channels').selectAll().where('id', '=', res.json().id).executeTakeFirstOrThrow();
      expect(row.config).toEqual({ phoneNumberId: CONFIG.phoneNumberId, graphApiBase: 'http://127.0.0.1:4010/v21.0' });
    });

    it.each([
      ['the phone number id is not digits', { ...CONFIG, phoneNumberId: '+62 811 0000' }, '/config/phoneNumberId'],
      ['the access token is missing', { ...CONFIG, accessToken: undefined }, '/config'],
      ['the app secret is too short', { ...CONFIG, appSecret: 'short' }, '/config/appSecret'],
      ['the verify token is missing', { ...CONFIG, verifyToken: undefined }, '/config'],
      ['the Graph API base is not an http(s) URL', { ...CONFIG, graphApiBase: 'ftp://graph.facebook.com' }, '/config/graphApiBase'],
      ['there is an unknown field', { ...CONFIG, pageId: '1' }, '/config'],
    ])('refuses with 400 invalid_channel_config when %s', async (_case, config, path) => {
      const res = await create(JSON.parse(JSON.stringify(config)), 'WA salah');

      expectInvalidConfig(res, path);
      expect(res.body).not.toContain(CONFIG.accessToken);
    });
  });
});
