import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';
import { testEnv } from '@sapa/test-support';
import { startInboxApi, type RunningInboxApi } from '../src/index.js';
import { createDeps } from './harness.js';
import { waitFor } from './wait-for.js';
import { createWorld, type World } from './world.js';

interface Frame {
  type: string;
  data: Record<string, unknown>;
}

interface Client {
  ws: WebSocket;
  frames: Frame[];
  closed?: { code: number };
}

function connect(baseUrl: string, options: { token?: string; queryToken?: string }): Promise<Client> {
  const url = `${baseUrl.replace('http', 'ws')}/v1/stream${options.queryToken ? `?token=${encodeURIComponent(options.queryToken)}` : ''}`;
  const ws = new WebSocket(url, { headers: options.token ? { authorization: `Bearer ${options.token}` } : {} });
  const client: Client = { ws, frames: [] };
  ws.on('message', (raw) => client.frames.push(JSON.parse(raw.toString()) as Frame));
  ws.on('close', (code) => {
    client.closed = { code };
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { statusCode: res.statusCode })));
    ws.once('error', reject);
  });
}

/**
 * Two inbox-api instances on one Redis prefix, as two replicas behind a load balancer: a change made
 * through instance A reaches the sockets held by instance B, and each only where it may be seen.
 */
describe('live events over WebSocket', () => {
  const prefix = `${testEnv().redisPrefix}:inbox-stream-${randomUUID()}`;
  const depsA = createDeps(prefix);
  const depsB = createDeps(prefix);
  let a: RunningInboxApi;
  let b: RunningInboxApi;
  let w: World;
  let other: World;
  const clients: Client[] = [];

  beforeAll(async () => {
    a = await startInboxApi(depsA, { port: 0 });
    b = await startInboxApi(depsB, { port: 0 }, { pingIntervalMs: 200 });
    w = await createWorld(depsA.db);
    other = await createWorld(depsA.db);
  });
  afterAll(async () => {
    for (const c of clients) c.ws.terminate();
    await a.close();
    await b.close().catch(() => {});
    await depsA.close();
    await depsB.close();
  });

  const open = async (options: { token?: string; queryToken?: string }) => {
    const c = await connect(b.url, options);
    clients.push(c);
    return c;
  };

  /** Publishes a marker to one user; once it arrives, every earlier event has arrived too (one ordered channel). */
  async function drainTo(c: Client, tenantId: string, userId: string): Promise<Frame[]> {
    const marker = randomUUID();
    await depsA.eventBus.publish({ type: 'ticket.updated', tenantId, audience: { userIds: [userId] }, data: { marker } });
    await waitFor(() => c.frames.some((f) => f.data.marker === marker), `marker at ${userId}`);
    return c.frames.filter((f) => !f.data.marker);
  }

  it('delivers a reply made through instance A to the sockets on instance B allowed to see it, and to no one else', async () => {
    const watchers = {
      agent1: await open({ token: w.token('agent1') }),
      agent2: await open({ token: w.token('agent2') }),
      lead: await open({ queryToken: w.token('lead') }),
      qc: await open({ token: w.token('qc') }),
      tier2: await open({ token: w.token('tier2') }),
      otherAdmin: await open({ token: other.token('admin') }),
      otherAgent1: await open({ token: other.token('agent1') }),
    };
    const gauge = await (await fetch(`${b.url}/metrics`)).text();
    expect(gauge).toMatch(/^sapa_websocket_connections\{[^}]*\} 7$/m);

    const conversationId = await w.agent1Conversation();
    const res = await fetch(`${a.url}/v1/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${w.token('agent1')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Terima kasih sudah menunggu' }),
    });
    expect(res.status).toBe(201);

    const seen = async (name: keyof typeof watchers) => {
      const world = name.startsWith('other') ? other : w;
      const user = (name.startsWith('other') ? name.slice(5, 6).toLowerCase() + name.slice(6) : name) as 'admin';
      return drainTo(watchers[name], world.tenant.id, world.userId(user));
    };
    for (const name of ['agent1', 'agent2', 'lead', 'qc'] as const) {
      const frames = await seen(name);
      expect(frames).toHaveLength(1);
      expect(frames[0]).toMatchObject({ type: 'message.created', data: { conversationId, text: 'Terima kasih sudah menunggu', direction: 'out', conversation: { id: conversationId } } });
    }
    // Another team of the tenant, and every user of another tenant, get nothing.
    for (const name of ['tier2', 'otherAdmin', 'otherAgent1'] as const) expect(await seen(name)).toEqual([]);
  });

  it('refuses the upgrade without a token or with an unknown one (401)', async () => {
    await expect(connect(b.url, {})).rejects.toMatchObject({ statusCode: 401 });
    await expect(connect(b.url, { token: 'sapa_unknown' })).rejects.toMatchObject({ statusCode: 401 });
    await expect(connect(b.url, { queryToken: 'sapa_unknown' })).rejects.toMatchObject({ statusCode: 401 });
  });

  it('closes an open socket with 4401 soon after its token is revoked', async () => {
    const c = await open({ token: w.token('agent2') });
    await depsA.db.updateTable('auth_tokens').set({ revoked_at: new Date() }).where('user_id', '=', w.userId('agent2')).execute();
    await waitFor(() => c.closed, 'the socket to close');
    expect(c.closed).toEqual({ code: 4401 });
  });

  it('closes its sockets with 1001 when the instance shuts down', async () => {
    const c = await open({ token: w.token('admin') });
    await b.close();
    await waitFor(() => c.closed, 'the socket to close');
    expect(c.closed).toEqual({ code: 1001 });
  });
});
