import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTenant, type TestTenant } from '@sapa/test-support';
import { bearer, createHarness, type Harness } from './harness.js';

/** Voice channels and agents' PBX extensions through the inbox API (issue 8 item 3). */
describe('voice setup', () => {
  let h: Harness;
  let t: TestTenant;
  beforeAll(async () => {
    h = await createHarness({ publicWebhookUrl: 'https://hooks.sapa.example/gw' });
    t = await createTenant(h.deps.db);
  });
  afterAll(() => h.close());

  const create = (config: unknown) =>
    h.app.inject({ method: 'POST', url: '/v1/channels', headers: bearer(t.users.admin!.token), payload: { type: 'voice', name: 'PBX', config } });
  const putAgent = (user: string, payload: Record<string, unknown>, as = 'admin') =>
    h.app.inject({ method: 'PUT', url: `/v1/agents/${t.users[user]!.id}`, headers: bearer(t.users[as]!.token), payload });

  it('creates a webhook voice channel with its signing secret shown once and its webhook URL', async () => {
    const res = await create({ provider: 'webhook' });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ type: 'voice', status: 'active', webhookUrl: `https://hooks.sapa.example/gw/webhooks/voice/${created.id}` });
    expect(created.secret).toMatch(/^whsec_/);
    const row = await h.deps.db.selectFrom('channels').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.config).toEqual({ provider: 'webhook' });
    expect(h.deps.secretBox.open(row.secrets_enc!)).toEqual({ signingSecret: created.secret });
  });

  it('creates an asterisk_ami channel with the AMI secret sealed, never in its readable config', async () => {
    const ami = { host: 'pbx.internal', port: 5038, user: 'sapa', secret: 'ami-rahasia', recordingBaseUrl: 'https://pbx.internal/rec' };
    const res = await create({ provider: 'asterisk_ami', ami });
    expect(res.statusCode).toBe(201);
    expect(res.body).not.toContain('ami-rahasia');
    const row = await h.deps.db.selectFrom('channels').selectAll().where('id', '=', res.json().id).executeTakeFirstOrThrow();
    expect(row.config).toEqual({ provider: 'asterisk_ami', ami: { host: 'pbx.internal', port: 5038, user: 'sapa', recordingBaseUrl: 'https://pbx.internal/rec' } });
    expect(row.secrets_enc).not.toContain('ami-rahasia');
    expect(h.deps.secretBox.open(row.secrets_enc!)).toEqual({ signingSecret: res.json().secret, amiSecret: 'ami-rahasia' });
  });

  it('keeps how the PBX places click-to-calls (dialplan context, endpoint technology) readable beside the other AMI settings', async () => {
    const res = await create({ provider: 'asterisk_ami', ami: { host: 'pbx.internal', port: 5038, user: 'sapa', secret: 's', originateContext: 'sapa-callback', endpointTechnology: 'SIP' } });
    expect(res.statusCode).toBe(201);
    const row = await h.deps.db.selectFrom('channels').select('config').where('id', '=', res.json().id).executeTakeFirstOrThrow();
    expect(row.config).toEqual({ provider: 'asterisk_ami', ami: { host: 'pbx.internal', port: 5038, user: 'sapa', originateContext: 'sapa-callback', endpointTechnology: 'SIP' } });
  });

  it.each([
    ['no provider', {}],
    ['an unknown provider', { provider: 'twilio' }],
    ['asterisk_ami without ami', { provider: 'asterisk_ami' }],
    ['ami without a secret', { provider: 'asterisk_ami', ami: { host: 'pbx', port: 5038, user: 'sapa' } }],
    ['a port out of range', { provider: 'asterisk_ami', ami: { host: 'pbx', port: 70000, user: 'sapa', secret: 's' } }],
    ['a host with a line break', { provider: 'asterisk_ami', ami: { host: 'pbx\r\nAction: Originate', port: 5038, user: 'sapa', secret: 's' } }],
    ['an unknown key', { provider: 'webhook', sip: true }],
    ['a click-to-call context with a space', { provider: 'asterisk_ami', ami: { host: 'pbx', port: 5038, user: 'sapa', secret: 's', originateContext: 'from internal' } }],
    ['an unknown endpoint technology', { provider: 'asterisk_ami', ami: { host: 'pbx', port: 5038, user: 'sapa', secret: 's', endpointTechnology: 'Skype' } }],
  ])('refuses a voice channel with %s: 400 invalid_channel_config, nothing stored', async (_case, config) => {
    const before = await h.deps.db.selectFrom('channels').select('id').where('tenant_id', '=', t.id).execute();
    const res = await create(config);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_channel_config');
    expect(await h.deps.db.selectFrom('channels').select('id').where('tenant_id', '=', t.id).execute()).toHaveLength(before.length);
  });

  it('sets, shows and clears an agent’s extension; one extension belongs to one agent', async () => {
    const set = await putAgent('agent1', { extension: '201' });
    expect(set.statusCode).toBe(200);
    expect(set.json().extension).toBe('201');
    const list = await h.app.inject({ method: 'GET', url: '/v1/agents', headers: bearer(t.users.admin!.token) });
    expect(list.json().items.find((a: { id: string }) => a.id === t.users.agent1!.id).extension).toBe('201');

    const taken = await putAgent('agent2', { extension: '201' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('extension_taken');
    const agent2 = await h.deps.db.selectFrom('agents').select('extension').where('user_id', '=', t.users.agent2!.id).executeTakeFirstOrThrow();
    expect(agent2.extension).toBeNull();

    expect((await putAgent('agent1', { extension: '201' })).statusCode).toBe(200);
    expect((await putAgent('agent1', { extension: null })).json().extension).toBeNull();
    expect((await putAgent('agent2', { extension: '201' })).json().extension).toBe('201');
  });

  it('clears the extension for an empty one (the API reads "" as null)', async () => {
    expect((await putAgent('agent1', { extension: '' })).json().extension).toBeNull();
  });

  it.each([['letters', 'abc'], ['a channel name', 'PJSIP/201'], ['too long', '1'.repeat(21)]])(
    'refuses an extension that is %s with 400',
    async (_case, extension) => {
      const res = await putAgent('agent1', { extension });
      expect(res.statusCode).toBe(400);
    },
  );

  it('lists the calls of a conversation: none for a chat', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/v1/conversations/00000000-0000-4000-8000-000000000000/calls', headers: bearer(t.users.admin!.token) });
    expect(res.statusCode).toBe(404);
  });
});
