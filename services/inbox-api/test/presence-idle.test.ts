import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WebSocket } from 'ws';
import type { DomainEvent } from '@sapa/contracts';
import { startInboxApi, type RunningInboxApi } from '../src/index.js';
import { bearer, createDeps } from './harness.js';
import { waitFor } from './wait-for.js';
import { createWorld, type UserName, type World } from './world.js';

/**
 * An online agent whose inbox socket goes silent turns away after the tenant's routing.awayAfterIdleSeconds. The
 * sweep runs every 200 ms here and the tenant allows 1 s of silence.
 */
describe('presence turns away on an idle socket', () => {
  const deps = createDeps();
  let api: RunningInboxApi;
  let w: World;
  const events: DomainEvent[] = [];
  let unsubscribe: () => Promise<void>;
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    api = await startInboxApi(deps, { port: 0 }, { idleSweepMs: 200 });
    w = await createWorld(deps.db);
    unsubscribe = await deps.eventBus.subscribe((e) => events.push(e));
    const res = await api.app.inject({ method: 'PATCH', url: '/v1/tenant/settings', headers: bearer(w.token('admin')), payload: { routing: { awayAfterIdleSeconds: 1 } } });
    expect(res.statusCode).toBe(200);
  });
  afterAll(async () => {
    for (const s of sockets) s.terminate();
    await unsubscribe();
    await api.close();
    await deps.close();
  });

  const agentRow = (user: UserName, world = w) =>
    deps.db.selectFrom('agents').select(['presence', 'last_seen_at']).where('user_id', '=', world.userId(user)).executeTakeFirstOrThrow();
  const goOnline = async (user: UserName, world = w) => {
    const res = await api.app.inject({ method: 'PUT', url: '/v1/agents/me/presence', headers: bearer(world.token(user)), payload: { status: 'online' } });
    expect(res.statusCode).toBe(200);
  };
  const open = (user: UserName) =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`${api.url.replace('http', 'ws')}/v1/stream`, { headers: bearer(w.token(user)) });
      sockets.push(ws);
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });
  const close = (ws: WebSocket) =>
    new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      ws.close();
    });

  it('stamps last_seen_at when an agent opens a socket, and turns the agent away once it has been silent too long', async () => {
    await goOnline('agent1');
    expect((await agentRow('agent1')).last_seen_at).toBeNull();
    const ws = await open('agent1');
    const seen = await waitFor(async () => (await agentRow('agent1')).last_seen_at ?? undefined, 'last_seen_at');
    expect(Date.now() - seen.getTime()).toBeLessThan(5000);
    await close(ws);

    await waitFor(async () => (await agentRow('agent1')).presence === 'away', 'agent1 away', 8000);
    const event = await waitFor(() => events.find((e) => e.type === 'agent.updated' && e.data.id === w.userId('agent1') && e.data.status === 'away'), 'agent.updated away');
    expect(event).toMatchObject({ tenantId: w.tenant.id, audience: { teamId: w.tenant.teamId, userIds: [w.userId('agent1')] }, data: { name: 'agent1' } });
  });

  it('never turns away an online agent who has not opened a socket', async () => {
    await goOnline('agent2');
    await new Promise((r) => setTimeout(r, 1600));
    expect(await agentRow('agent2')).toEqual({ presence: 'online', last_seen_at: null });
  });

  it('writes a socket\'s signs of life at most once per 15 s', async () => {
    const ws = await open('lead');
    const first = await waitFor(async () => (await agentRow('lead')).last_seen_at ?? undefined, 'lead last_seen_at');
    ws.send('still here');
    ws.send('still here');
    await new Promise((r) => setTimeout(r, 300));
    expect((await agentRow('lead')).last_seen_at).toEqual(first);
    await close(ws);
  });

  it('lets a user without an agent profile keep a socket (nothing to stamp)', async () => {
    const ws = await open('admin');
    ws.send('ping');
    await new Promise((r) => setTimeout(r, 100));
    expect(ws.readyState).toBe(WebSocket.OPEN);
    await close(ws);
  });

  it('counts going online as a sign of life, so a returning agent is not turned away for an old socket', async () => {
    await deps.db.updateTable('agents').set({ presence: 'offline', last_seen_at: new Date(Date.now() - 3_600_000) }).where('user_id', '=', w.userId('tier2')).execute();
    await goOnline('tier2');
    const row = await agentRow('tier2');
    expect(row.presence).toBe('online');
    expect(Date.now() - row.last_seen_at!.getTime()).toBeLessThan(5000);
  });

  it("reads each tenant's own limit: the default 300 s where it is not set, or not a whole number", async () => {
    const defaults = await createWorld(deps.db);
    const handWritten = await createWorld(deps.db);
    await deps.db.updateTable('tenants').set({ settings: JSON.stringify({ routing: { awayAfterIdleSeconds: 'soon' } }) }).where('id', '=', handWritten.tenant.id).execute();
    const seenAgo = async (world: World, user: UserName, seconds: number) =>
      deps.db.updateTable('agents').set({ presence: 'online', last_seen_at: new Date(Date.now() - seconds * 1000) }).where('user_id', '=', world.userId(user)).execute();
    await seenAgo(defaults, 'agent1', 10);
    await seenAgo(defaults, 'agent2', 301);
    await seenAgo(handWritten, 'agent1', 10);
    await seenAgo(handWritten, 'agent2', 301);

    await waitFor(async () => (await agentRow('agent2', defaults)).presence === 'away', 'agent2 of the default tenant away', 8000);
    await waitFor(async () => (await agentRow('agent2', handWritten)).presence === 'away', 'agent2 of the hand-written tenant away', 8000);
    expect((await agentRow('agent1', defaults)).presence).toBe('online');
    expect((await agentRow('agent1', handWritten)).presence).toBe('online');
  });
});
