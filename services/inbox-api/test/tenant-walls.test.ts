import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, createHarness, type Harness } from './harness.js';
import { createWorld, type UserName, type World } from './world.js';
import type { RouteRequest } from './route-cases.js';
import { multipartText } from './multipart.js';

/**
 * Tenant A owns the rows; tenant B's users (even its admin) act on them by id. Every such request is a
 * 404 that looks exactly like "no such id", and every list of B shows none of A's rows.
 */
describe('tenant walls', () => {
  let h: Harness;
  let a: World;
  let b: World;
  beforeAll(async () => {
    h = await createHarness();
    a = await createWorld(h.deps.db);
    b = await createWorld(h.deps.db);
  });
  afterAll(() => h.close());

  const byId: Array<[string, UserName, string, (a: World) => Promise<RouteRequest>]> = [
    ['GET /v1/conversations/{id}', 'admin', 'conversation_not_found', async (a) => ({ method: 'GET', url: `/v1/conversations/${await a.agent1Conversation()}` })],
    ['GET /v1/conversations/{id}/messages', 'admin', 'conversation_not_found', async (a) => ({ method: 'GET', url: `/v1/conversations/${await a.agent1Conversation()}/messages` })],
    ['POST /v1/conversations/{id}/messages', 'lead', 'conversation_not_found', async (a) => ({ method: 'POST', url: `/v1/conversations/${await a.agent1Conversation()}/messages`, payload: { text: 'hi' } })],
    ['POST /v1/conversations/{id}/transfer', 'admin', 'conversation_not_found', async (a) => ({ method: 'POST', url: `/v1/conversations/${await a.agent1Conversation()}/transfer`, payload: { teamId: a.tenant.teamId } })],
    ['POST /v1/conversations/{id}/close', 'admin', 'conversation_not_found', async (a) => ({ method: 'POST', url: `/v1/conversations/${await a.agent1Conversation()}/close`, payload: {} })],
    ['POST /v1/conversations/{id}/phase', 'lead', 'conversation_not_found', async (a) => ({ method: 'POST', url: `/v1/conversations/${await a.agent1Conversation()}/phase`, payload: { phase: 'verification' } })],
    ['GET /v1/conversations/{id}/phases', 'qc', 'conversation_not_found', async (a) => ({ method: 'GET', url: `/v1/conversations/${await a.agent1Conversation()}/phases` })],
    ['POST /v1/conversations/{id}/call', 'agent1', 'conversation_not_found', async (a) => ({ method: 'POST', url: `/v1/conversations/${await a.agent1Conversation()}/call` })],
    ['GET /v1/conversations/{id}/suggestions', 'admin', 'conversation_not_found', async (a) => ({ method: 'GET', url: `/v1/conversations/${await a.agent1Conversation()}/suggestions` })],
    ['POST /v1/conversations/{id}/qc-scores', 'qc', 'conversation_not_found', async (a) => ({ method: 'POST', url: `/v1/conversations/${await a.agent1Conversation()}/qc-scores`, payload: { criteria: { greeting: 1, verification: 2, solution: 3, cross_sell: 4, closing: 5 } } })],
    ['POST /v1/deliveries/{id}/retry', 'admin', 'delivery_not_found', async (a) => ({ method: 'POST', url: `/v1/deliveries/${await a.failedDelivery()}/retry` })],
    ['GET /v1/playbooks/{key} of a key only the other tenant has', 'agent1', 'playbook_not_found', async (a) => ({ method: 'GET', url: `/v1/playbooks/${await a.withdrawalPlaybook()}` })],
    ['GET /v1/contacts/{id}', 'admin', 'contact_not_found', async (a) => ({ method: 'GET', url: `/v1/contacts/${await a.agent1Contact()}` })],
    ['PATCH /v1/contacts/{id}', 'admin', 'contact_not_found', async (a) => ({ method: 'PATCH', url: `/v1/contacts/${await a.agent1Contact()}`, payload: { attributes: { agentId: 'AG-1' } } })],
    ['PATCH /v1/teams/{id}', 'admin', 'team_not_found', async (a) => ({ method: 'PATCH', url: `/v1/teams/${a.tenant.teamId}`, payload: { name: 'Diambil alih' } })],
    ['GET /v1/tickets/{id}/events', 'admin', 'ticket_not_found', async (a) => ({ method: 'GET', url: `/v1/tickets/${await a.openTicket()}/events` })],
    ['POST /v1/tickets/{id}/approvals', 'lead', 'ticket_not_found', async (a) => ({ method: 'POST', url: `/v1/tickets/${await a.openTicket('bon.credit_request')}/approvals`, payload: { gate: 'supervisor_approval' } })],
    ['POST /v1/tickets/{id}/waiting-on-customer', 'lead', 'ticket_not_found', async (a) => ({ method: 'POST', url: `/v1/tickets/${await a.openTicket()}/waiting-on-customer`, payload: { reason: 'x' } })],
    ['PUT /v1/agents/{id}', 'admin', 'agent_not_found', async (a) => ({ method: 'PUT', url: `/v1/agents/${a.userId('agent1')}`, payload: { capacity: { chat: 50 } } })],
    ['PUT /v1/agents/{id} as a team leader', 'lead', 'agent_not_found', async (a) => ({ method: 'PUT', url: `/v1/agents/${a.userId('agent1')}`, payload: { languages: ['en'] } })],
    ['PUT /v1/agents/{id} naming a team', 'admin', 'team_not_found', async (a) => ({ method: 'PUT', url: `/v1/agents/${b.userId('agent1')}`, payload: { teams: [b.tenant.teamId, a.tenant.teamId] } })],
    ['DELETE /v1/channels/{id}/pairing', 'admin', 'channel_not_found', async (a) => ({ method: 'DELETE', url: `/v1/channels/${a.channelId}/pairing` })],
    ['POST /v1/channels naming a team', 'admin', 'team_not_found', async (a) => ({ method: 'POST', url: '/v1/channels', payload: { type: 'api', name: 'x', teamId: a.tenant.teamId, config: { callbackUrl: 'https://x.example/cb' } } })],
  ];

  it.each(byId)('%s on a row of another tenant, as its own tenant\'s %s, is 404 %s', async (_route, user, code, request) => {
    const res = await h.app.inject({ ...(await request(a)), headers: bearer(b.token(user)) });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe(code);
  });

  it("refuses a reply naming another tenant's uploaded file (400 unknown_attachment) and never links it", async () => {
    const form = multipartText('rahasia tenant A');
    const uploaded = await h.app.inject({ method: 'POST', url: '/v1/attachments', payload: form.payload, headers: { ...form.headers, ...bearer(a.token('agent1')) } });
    expect(uploaded.statusCode).toBe(201);
    const conv = await b.agent1Conversation();
    const res = await h.app.inject({ method: 'POST', url: `/v1/conversations/${conv}/messages`, payload: { attachments: [{ id: uploaded.json().id }] }, headers: bearer(b.token('agent1')) });
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'unknown_attachment']);
    const out = await h.deps.db.selectFrom('messages').select('id').where('conversation_id', '=', conv).where('direction', '=', 'out').execute();
    expect(out).toEqual([]);
  });

  it('refuses to transfer to a team or an agent of another tenant (404)', async () => {
    const conv = await b.agent1Conversation();
    const toTeam = await h.app.inject({ method: 'POST', url: `/v1/conversations/${conv}/transfer`, payload: { teamId: a.tenant.teamId }, headers: bearer(b.token('admin')) });
    expect([toTeam.statusCode, toTeam.json().error.code]).toEqual([404, 'team_not_found']);
    const toAgent = await h.app.inject({ method: 'POST', url: `/v1/conversations/${conv}/transfer`, payload: { agentId: a.userId('agent2') }, headers: bearer(b.token('admin')) });
    expect([toAgent.statusCode, toAgent.json().error.code]).toEqual([404, 'agent_not_found']);
    const row = await h.deps.db.selectFrom('conversations').select(['assignee_id', 'team_id']).where('id', '=', conv).executeTakeFirstOrThrow();
    expect(row).toEqual({ assignee_id: b.userId('agent1'), team_id: b.tenant.teamId });
  });

  it("refuses routing rules naming another tenant's team or channel (400 naming the path), changing nothing", async () => {
    const put = (items: unknown[]) => h.app.inject({ method: 'PUT', url: '/v1/routing/rules', payload: { items }, headers: bearer(b.token('admin')) });
    const toTeam = await put([{ key: 'steal', when: { keywords: ['saldo'] }, then: { teamId: a.tenant.teamId } }]);
    expect([toTeam.statusCode, toTeam.json().error.code, toTeam.json().error.details.errors[0].path]).toEqual([400, 'validation_failed', 'items[0].then.teamId']);
    const fromChannel = await put([{ key: 'steal', when: { channelIds: [a.channelId] }, then: { priority: 1 } }]);
    expect([fromChannel.statusCode, fromChannel.json().error.details.errors[0].path]).toEqual([400, 'items[0].when.channelIds[0]']);
    const rules = await h.app.inject({ method: 'GET', url: '/v1/routing/rules', headers: bearer(b.token('admin')) });
    expect(rules.json()).toEqual({ items: [] });
  });

  it("shows none of another tenant's queues or routing rules", async () => {
    await a.queuedConversation();
    const asA = await h.app.inject({ method: 'PUT', url: '/v1/routing/rules', headers: bearer(a.token('admin')), payload: { items: [{ key: 'a_only', when: { keywords: ['saldo'] }, then: { priority: 5 } }] } });
    expect(asA.statusCode).toBe(200);
    const queues = (await h.app.inject({ method: 'GET', url: '/v1/queues', headers: bearer(b.token('admin')) })).json();
    expect(queues.items.map((q: { teamId: string }) => q.teamId).sort()).toEqual(Object.values(b.tenant.teams).sort());
    expect(queues.items.every((q: { waiting: number }) => q.waiting === 0)).toBe(true);
    const rules = (await h.app.inject({ method: 'GET', url: '/v1/routing/rules', headers: bearer(b.token('lead')) })).json();
    expect(rules).toEqual({ items: [] });
  });

  it("keeps each tenant's settings and holiday calendar to itself", async () => {
    const as = (w: World, method: 'PATCH' | 'PUT' | 'GET', url: string, payload?: Record<string, unknown>) =>
      h.app.inject({ method, url, headers: bearer(w.token('admin')), ...(payload ? { payload } : {}) });
    await as(a, 'PATCH', '/v1/tenant/settings', { brand: 'Toko A', inactivity: { firstNudgeSeconds: 5 } });
    await as(a, 'PUT', '/v1/tenant/holidays', { items: [{ date: '2026-12-24', name: 'Cuti Bersama Natal', kind: 'collective_leave' }] });
    const settingsB = (await as(b, 'GET', '/v1/tenant/settings')).json();
    expect(settingsB.brand).not.toBe('Toko A');
    expect(settingsB.inactivity.firstNudgeSeconds).toBe(60);
    expect((await as(b, 'GET', '/v1/tenant/holidays')).json().items).toEqual([]);
    await as(b, 'PUT', '/v1/tenant/holidays', { items: [] });
    expect((await as(a, 'GET', '/v1/tenant/holidays')).json().items).toHaveLength(1);
  });

  it('lists none of another tenant\'s conversations, channels, agents or deliveries', async () => {
    await a.agent1Conversation();
    await a.failedDelivery();
    const get = (url: string) => h.app.inject({ method: 'GET', url, headers: bearer(b.token('admin')) }).then((r) => r.json());
    const aIds = new Set([a.channelId, ...Object.values(a.tenant.users).map((u) => u.id), a.tenant.teamId]);

    const conversations = await get(`/v1/conversations?teamId=${a.tenant.teamId}`);
    expect(conversations.items).toEqual([]);
    const all = await get('/v1/conversations?limit=100');
    expect(all.items.every((c: { channelId: string }) => c.channelId === b.channelId)).toBe(true);
    const teams = await get('/v1/teams');
    expect(teams.items.some((t: { id: string }) => aIds.has(t.id))).toBe(false);
    const channels = await get('/v1/channels');
    expect(channels.items.map((c: { id: string }) => c.id)).toEqual([b.channelId]);
    const agents = await get('/v1/agents');
    expect(agents.items.some((x: { id: string }) => aIds.has(x.id))).toBe(false);
    expect(agents.items.length).toBeGreaterThan(0);
    const deliveries = await get('/v1/deliveries');
    expect(deliveries.items.every((d: { channelId: string }) => d.channelId === b.channelId)).toBe(true);
    const assignedToA = await get(`/v1/conversations?assignee=${a.userId('agent1')}`);
    expect(assignedToA.items).toEqual([]);
  });
});
