import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DomainEvent } from '@sapa/contracts';
import { createTenant, type TestTenant } from '@sapa/test-support';
import { bearer, createHarness, type Harness } from './harness.js';
import { seedConversation } from './seed.js';
import { waitFor } from './wait-for.js';

describe('live chat channels', () => {
  let h: Harness;
  let t: TestTenant;
  beforeAll(async () => {
    h = await createHarness();
    t = await createTenant(h.deps.db);
  });
  afterAll(() => h.close());

  const create = (config: unknown) =>
    h.app.inject({ method: 'POST', url: '/v1/channels', headers: bearer(t.users.admin!.token), payload: { type: 'livechat', name: 'Website', config } });

  it('creates a live chat with its allowed origins written as browsers send them, and the default pre-chat form', async () => {
    const res = await create({ allowedOrigins: ['https://Shop.Example', 'https://shop.example:443', 'http://localhost:8080'] });
    expect(res.statusCode).toBe(201);
    const row = await h.deps.db.selectFrom('channels').selectAll().where('id', '=', res.json().id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ type: 'livechat', secrets_enc: null });
    expect(row.config).toEqual({
      allowedOrigins: ['https://shop.example', 'http://localhost:8080'],
      preChatForm: { fields: [{ key: 'name', required: true }, { key: 'phone' }, { key: 'email' }], phoneOrEmail: true },
    });
  });

  it('keeps a pre-chat form of the admin', async () => {
    const preChatForm = { fields: [{ key: 'name', required: true }, { key: 'email', required: true }], phoneOrEmail: false };
    const res = await create({ allowedOrigins: ['https://shop.example'], preChatForm });
    expect(res.statusCode).toBe(201);
    const row = await h.deps.db.selectFrom('channels').select('config').where('id', '=', res.json().id).executeTakeFirstOrThrow();
    expect(row.config).toMatchObject({ preChatForm });
  });

  it.each([
    ['no allowed origins', {}],
    ['an empty list of origins', { allowedOrigins: [] }],
    ['an origin with a path', { allowedOrigins: ['https://shop.example/chat'] }],
    ['an origin that is not http(s)', { allowedOrigins: ['ftp://shop.example'] }],
    ['a wildcard origin', { allowedOrigins: ['*'] }],
    ['an unknown form field', { allowedOrigins: ['https://shop.example'], preChatForm: { fields: [{ key: 'ktp' }] } }],
    ['a field twice', { allowedOrigins: ['https://shop.example'], preChatForm: { fields: [{ key: 'name' }, { key: 'name', required: true }] } }],
    ['an unknown config key', { allowedOrigins: ['https://shop.example'], theme: 'dark' }],
  ])('refuses a config with %s (400 invalid_channel_config), creating nothing', async (_why, config) => {
    const before = await h.deps.db.selectFrom('channels').select(h.deps.db.fn.countAll<string>().as('n')).where('tenant_id', '=', t.id).executeTakeFirstOrThrow();
    const res = await create(config);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_channel_config');
    const after = await h.deps.db.selectFrom('channels').select(h.deps.db.fn.countAll<string>().as('n')).where('tenant_id', '=', t.id).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});

describe('agent typing', () => {
  let h: Harness;
  let t: TestTenant;
  let conversationId: string;
  const events: DomainEvent[] = [];
  let unsubscribe: () => Promise<void>;
  beforeAll(async () => {
    h = await createHarness();
    t = await createTenant(h.deps.db);
    unsubscribe = await h.deps.eventBus.subscribe((e) => events.push(e));
    const channel = await h.deps.db
      .insertInto('channels')
      .values({ tenant_id: t.id, type: 'livechat', name: 'Web', team_id: null, config: JSON.stringify({ allowedOrigins: ['https://shop.example'] }), secrets_enc: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    conversationId = await seedConversation(h.deps.db, t.id, { channelId: channel.id, teamId: t.teamId, assigneeId: t.users.agent1!.id, contactName: 'Siti' });
  });
  afterAll(async () => {
    await unsubscribe();
    await h.close();
  });

  const typing = (token: string, payload: unknown, id = conversationId) =>
    h.app.inject({ method: 'POST', url: `/v1/conversations/${id}/typing`, headers: bearer(token), payload: payload as Record<string, unknown> });

  it('publishes conversation.typing with the agent to the team and the assignee', async () => {
    const res = await typing(t.users.agent1!.token, { typing: true });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ typing: true });
    expect(await waitFor(() => events.find((e) => e.type === 'conversation.typing'), 'conversation.typing')).toMatchObject({
      tenantId: t.id,
      audience: { teamId: t.teamId, userIds: [t.users.agent1!.id] },
      data: { conversationId, channelType: 'livechat', actor: { type: 'agent', id: t.users.agent1!.id, name: 'agent1' }, typing: true },
    });
  });

  it.each([
    ['no typing flag', {}],
    ['a typing flag that is not a boolean', { typing: 'yes' }],
    ['an extra key', { typing: true, text: 'x' }],
  ])('refuses a body with %s (400)', async (_why, payload) => {
    const res = await typing(t.users.agent1!.token, payload);
    expect(res.statusCode).toBe(400);
  });

  it('refuses a closed conversation with 409 conversation_closed', async () => {
    await h.deps.db.updateTable('conversations').set({ status: 'closed', closed_at: new Date() }).where('id', '=', conversationId).execute();
    const res = await typing(t.users.agent1!.token, { typing: true });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('conversation_closed');
  });
});
