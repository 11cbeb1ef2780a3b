import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DomainEvent } from '@sapa/contracts';
import { createTenant, createUser, type TestTenant } from '@sapa/test-support';
import { bearer, createHarness, type Harness } from './harness.js';
import { waitFor } from './wait-for.js';

describe('agents', () => {
  let h: Harness;
  let t: TestTenant;
  const events: DomainEvent[] = [];
  let unsubscribe: () => Promise<void>;
  beforeAll(async () => {
    h = await createHarness();
    t = await createTenant(h.deps.db);
    unsubscribe = await h.deps.eventBus.subscribe((e) => events.push(e));
  });
  afterAll(async () => {
    await unsubscribe();
    await h.close();
  });

  const presence = (token: string, status: string) => h.app.inject({ method: 'PUT', url: '/v1/agents/me/presence', headers: bearer(token), payload: { status } });

  it('sets presence online, asks the router to drain the agent\'s teams at once, and publishes agent.updated', async () => {
    const res = await presence(t.users.agent1!.token, 'online');
    expect([res.statusCode, res.json()]).toEqual([200, { status: 'online' }]);
    const row = await h.deps.db.selectFrom('agents').select('presence').where('user_id', '=', t.users.agent1!.id).executeTakeFirstOrThrow();
    expect(row.presence).toBe('online');

    const jobs = await h.deps.producer.queue('routing').getJobs(['waiting', 'delayed', 'prioritized']);
    expect(jobs.map((j) => j.data)).toContainEqual({ tenantId: t.id, teamIds: [t.teamId], reason: 'agent_online' });

    const event = await waitFor(() => events.find((e) => e.type === 'agent.updated' && e.data.id === t.users.agent1!.id), 'agent.updated');
    expect(event).toMatchObject({ tenantId: t.id, audience: { teamId: t.teamId, userIds: [t.users.agent1!.id] }, data: { id: t.users.agent1!.id, status: 'online', name: 'agent1' } });
  });

  it('going away or offline asks for no drain', async () => {
    const queue = h.deps.producer.queue('routing');
    await queue.drain();
    expect((await presence(t.users.agent2!.token, 'away')).statusCode).toBe(200);
    expect((await presence(t.users.agent2!.token, 'offline')).statusCode).toBe(200);
    expect(await queue.getJobCounts('waiting')).toMatchObject({ waiting: 0 });
  });

  it('answers a user without an agent profile with 403 not_an_agent', async () => {
    const res = await presence(t.users.admin!.token, 'online');
    expect([res.statusCode, res.json().error.code]).toEqual([403, 'not_an_agent']);
  });

  it('lists every agent with teams, presence, load and capacity to admins and QC', async () => {
    for (const who of ['admin', 'qc'] as const) {
      const res = await h.app.inject({ method: 'GET', url: '/v1/agents', headers: bearer(t.users[who]!.token) });
      expect(res.statusCode).toBe(200);
      const items = res.json().items;
      expect(items.map((a: { name: string }) => a.name)).toEqual(['agent1', 'agent2', 'lead', 'tier2']);
      expect(items[0]).toEqual({
        id: t.users.agent1!.id,
        name: 'agent1',
        status: 'online',
        teams: [{ id: t.teamId, key: 'cs', name: 'CS' }],
        activeConversations: { chat: 0, email: 0, voice: 0 },
        capacity: { chat: 5, email: 10, voice: 1 },
      });
    }
  });

  it('lists to a team leader only the agents of the teams they lead', async () => {
    // An agent in both teams shows up once, with both teams.
    await createUser(h.deps.db, t.id, t.teams, `both@${t.slug}.test`, 'both', { roles: ['agent'], teams: ['cs', 'tier2'] });
    const res = await h.app.inject({ method: 'GET', url: '/v1/agents', headers: bearer(t.users.lead!.token) });
    const items = res.json().items as Array<{ name: string; teams: Array<{ key: string }> }>;
    expect(items.map((a) => a.name)).toEqual(['agent1', 'agent2', 'both', 'lead']);
    expect(items.find((a) => a.name === 'both')!.teams.map((x) => x.key)).toEqual(['cs', 'tier2']);
  });
});
