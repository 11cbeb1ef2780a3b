import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { DomainEvent } from '@sapa/contracts';
import { createUser } from '@sapa/test-support';
import { bearer, createHarness, type Harness } from './harness.js';
import { seedConversation } from './seed.js';
import { waitFor } from './wait-for.js';
import { createWorld, type UserName, type World } from './world.js';

describe('conversations', () => {
  let h: Harness;
  let w: World;
  const get = (user: UserName, url: string) => h.app.inject({ method: 'GET', url, headers: bearer(w.token(user)) });
  const post = (user: UserName, url: string, payload?: Record<string, unknown>) =>
    h.app.inject({ method: 'POST', url, headers: bearer(w.token(user)), ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    h = await createHarness();
    w = await createWorld(h.deps.db);
  });
  afterAll(() => h.close());

  describe('reading', () => {
    const c: Record<string, string> = {};
    beforeAll(async () => {
      const seed = (teamKey: string, assignee: UserName | null, status?: 'closed') =>
        seedConversation(h.deps.db, w.tenant.id, {
          channelId: w.channelId,
          teamId: w.tenant.teams[teamKey]!,
          assigneeId: assignee ? w.userId(assignee) : null,
          ...(status ? { status } : {}),
          contactName: `contact of ${teamKey}/${assignee ?? 'queue'}`,
        });
      c.agent1 = await seed('cs', 'agent1');
      c.queuedCs = await seed('cs', null);
      c.queuedTier2 = await seed('tier2', null);
      c.agent2 = await seed('cs', 'agent2');
      c.closedAgent1 = await seed('cs', 'agent1', 'closed');
      c.tier2 = await seed('tier2', 'tier2');
    });

    const visible: Array<[UserName, string[]]> = [
      ['admin', ['agent1', 'queuedCs', 'queuedTier2', 'agent2', 'closedAgent1', 'tier2']],
      ['qc', ['agent1', 'queuedCs', 'queuedTier2', 'agent2', 'closedAgent1', 'tier2']],
      ['lead', ['agent1', 'queuedCs', 'agent2', 'closedAgent1']],
      ['agent1', ['agent1', 'queuedCs', 'closedAgent1']],
      ['agent2', ['queuedCs', 'agent2']],
      ['tier2', ['queuedTier2', 'tier2']],
    ];

    it.each(visible)('lists to %s exactly the conversations %j, newest first', async (user, names) => {
      const res = await get(user, '/v1/conversations');
      expect(res.statusCode).toBe(200);
      const ids = res.json().items.map((x: { id: string }) => x.id);
      expect(ids).toEqual(names.map((n) => c[n]).reverse());
      expect(res.json().nextCursor).toBeNull();
    });

    it.each([
      ['agent1', '?assignee=me', ['closedAgent1', 'agent1']],
      ['agent1', '?status=queued', ['queuedCs']],
      ['admin', '?status=queued', ['queuedTier2', 'queuedCs']],
      ['admin', '?status=closed', ['closedAgent1']],
      ['lead', '?assignee=AGENT2', ['agent2']],
      ['admin', '?teamId=TIER2', ['tier2', 'queuedTier2']],
      ['admin', '?teamId=TIER2&status=assigned', ['tier2']],
      ['agent2', '?assignee=AGENT1', []],
    ] as Array<[UserName, string, string[]]>)('filters for %s with %s', async (user, query, names) => {
      const url = `/v1/conversations${query.replace('AGENT2', w.userId('agent2')).replace('AGENT1', w.userId('agent1')).replace('TIER2', w.tenant.teams.tier2!)}`;
      const res = await get(user, url);
      expect(res.json().items.map((x: { id: string }) => x.id)).toEqual(names.map((n) => c[n]));
    });

    it('pages through all conversations with nextCursor, each exactly once', async () => {
      const seen: string[] = [];
      let url = '/v1/conversations?limit=4';
      for (let page = 0; page < 10; page++) {
        const body = (await get('admin', url)).json();
        seen.push(...body.items.map((x: { id: string }) => x.id));
        if (!body.nextCursor) break;
        url = `/v1/conversations?limit=4&cursor=${body.nextCursor}`;
      }
      const all = (await get('admin', '/v1/conversations?limit=100')).json().items.map((x: { id: string }) => x.id);
      expect(seen).toEqual(all);
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('shows one conversation with its contact and channel type', async () => {
      const res = await get('agent1', `/v1/conversations/${c.agent1}`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        id: c.agent1,
        channelId: w.channelId,
        channelType: 'api',
        contact: { name: 'contact of cs/agent1' },
        status: 'assigned',
        assigneeId: w.userId('agent1'),
        teamId: w.tenant.teamId,
        priority: 0,
        phase: 'greeting',
        closeReason: null,
      });
    });

    it('lists messages oldest first, a page at a time', async () => {
      const id = await seedConversation(h.deps.db, w.tenant.id, {
        channelId: w.channelId,
        teamId: w.tenant.teamId,
        assigneeId: w.userId('agent1'),
        messages: ['satu', 'dua', 'tiga', 'empat', 'lima'],
      });
      const first = (await get('agent1', `/v1/conversations/${id}/messages?limit=3`)).json();
      expect(first.items.map((m: { text: string }) => m.text)).toEqual(['satu', 'dua', 'tiga']);
      expect(first.items[0]).toMatchObject({ direction: 'in', authorType: 'contact', authorId: null, attachments: [], status: 'received' });
      const second = (await get('agent1', `/v1/conversations/${id}/messages?limit=3&cursor=${first.nextCursor}`)).json();
      expect(second.items.map((m: { text: string }) => m.text)).toEqual(['empat', 'lima']);
      expect(second.nextCursor).toBeNull();
    });
  });

  describe('acting', () => {
    const events: DomainEvent[] = [];
    let unsubscribe: () => Promise<void>;
    beforeAll(async () => {
      unsubscribe = await h.deps.eventBus.subscribe((e) => events.push(e));
    });
    afterAll(() => unsubscribe());
    beforeEach(async () => {
      events.length = 0;
      await h.deps.producer.queue('routing').drain();
    });

    const agentRow = (user: UserName) =>
      h.deps.db.selectFrom('agents').select(['active_chat']).where('user_id', '=', w.userId(user)).executeTakeFirstOrThrow();
    const drains = async () => (await h.deps.producer.queue('routing').getJobs(['waiting', 'prioritized', 'delayed'])).map((j) => j.data);

    it('stores a reply, its delivery and an outbound.api job in step, and publishes message.created', async () => {
      const id = await w.agent1Conversation();
      const res = await post('agent1', `/v1/conversations/${id}/messages`, {
        text: 'Halo, ada yang bisa dibantu?',
        attachments: [{ url: 'https://cdn.example/promo.png', contentType: 'image/png' }],
      });
      expect(res.statusCode).toBe(201);
      const { id: messageId, status } = res.json();
      expect(status).toBe('queued');

      const message = await h.deps.db.selectFrom('messages').selectAll().where('id', '=', messageId).executeTakeFirstOrThrow();
      expect(message).toMatchObject({ tenant_id: w.tenant.id, conversation_id: id, direction: 'out', author_type: 'agent', author_id: w.userId('agent1'), status: 'queued' });
      const delivery = await h.deps.db.selectFrom('deliveries').selectAll().where('message_id', '=', messageId).executeTakeFirstOrThrow();
      expect(delivery).toMatchObject({ conversation_id: id, channel_id: w.channelId, status: 'pending', replays: 0 });

      const job = await h.deps.producer.queue('outbound.api').getJob(`out.${delivery.id}.0`);
      expect(job?.data).toEqual({ tenantId: w.tenant.id, deliveryId: delivery.id, messageId, replay: 0 });

      const conv = await h.deps.db.selectFrom('conversations').select('last_message_at').where('id', '=', id).executeTakeFirstOrThrow();
      expect(conv.last_message_at?.getTime()).toBe(message.created_at.getTime());

      const event = await waitFor(() => events.find((e) => e.type === 'message.created'), 'message.created');
      expect(event).toMatchObject({
        tenantId: w.tenant.id,
        audience: { teamId: w.tenant.teamId, userIds: [w.userId('agent1')] },
        data: { id: messageId, conversationId: id, text: 'Halo, ada yang bisa dibantu?', authorType: 'agent', status: 'queued', conversation: { id, assigneeId: w.userId('agent1') } },
      });
    });

    it('lets a leader of the conversation\'s team reply too', async () => {
      const res = await post('lead', `/v1/conversations/${await w.agent1Conversation()}/messages`, { text: 'Saya bantu ya' });
      expect(res.statusCode).toBe(201);
    });

    it('transfers to another agent: capacity moves, the freed team is drained, both agents hear of it', async () => {
      const id = await w.agent1Conversation();
      const [a1, a2] = [await agentRow('agent1'), await agentRow('agent2')];
      const res = await post('agent1', `/v1/conversations/${id}/transfer`, { agentId: w.userId('agent2'), note: 'shift end' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id, status: 'assigned', assigneeId: w.userId('agent2'), teamId: w.tenant.teamId });
      expect((await agentRow('agent1')).active_chat).toBe(a1.active_chat - 1);
      expect((await agentRow('agent2')).active_chat).toBe(a2.active_chat + 1);
      expect(await drains()).toContainEqual({ tenantId: w.tenant.id, teamIds: [w.tenant.teamId], reason: 'transfer' });
      const event = await waitFor(() => events.find((e) => e.type === 'conversation.updated'), 'conversation.updated');
      expect(event.audience).toEqual({ teamId: w.tenant.teamId, userIds: [w.userId('agent2'), w.userId('agent1')] });
      expect(event.data).toMatchObject({ id, assigneeId: w.userId('agent2'), status: 'assigned' });

      // agent1 no longer holds it: the conversation is out of their sight.
      expect((await get('agent1', `/v1/conversations/${id}`)).statusCode).toBe(404);

      // agent2 is held to the first-response rule like an agent the router assigned (routing.firstResponseSeconds).
      const timers = await h.deps.producer.queue('routing.response').getJobs(['delayed']);
      const timer = timers.find((j) => j?.data.conversationId === id);
      expect(timer?.data).toMatchObject({ tenantId: w.tenant.id, step: 0 });
      expect(timer?.opts.delay).toBe(180_000);
    });

    it('transfers to a team: the conversation waits in that team\'s queue and both teams are drained', async () => {
      const id = await w.agent1Conversation();
      const res = await post('lead', `/v1/conversations/${id}/transfer`, { teamId: w.tenant.teams.tier2! });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'queued', assigneeId: null, teamId: w.tenant.teams.tier2 });
      const [drain] = await drains();
      expect(drain?.reason).toBe('transfer');
      expect([...drain!.teamIds].sort()).toEqual([w.tenant.teamId, w.tenant.teams.tier2!].sort());
      const history = await h.deps.db.selectFrom('assignments').selectAll().where('conversation_id', '=', id).executeTakeFirstOrThrow();
      expect(history).toMatchObject({ action: 'transferred', team_id: w.tenant.teams.tier2, actor_id: w.userId('lead') });
    });

    it('closes a conversation, frees the agent, drains the agent\'s teams; closing again changes nothing', async () => {
      // An agent in both teams: the freed capacity can take work from either.
      const both = await createUser(h.deps.db, w.tenant.id, w.tenant.teams, `both-${Date.now()}@${w.tenant.slug}.test`, 'both', { roles: ['agent'], teams: ['cs', 'tier2'] });
      const id = await seedConversation(h.deps.db, w.tenant.id, { channelId: w.channelId, teamId: w.tenant.teamId, assigneeId: both.id });
      const close = () => h.app.inject({ method: 'POST', url: `/v1/conversations/${id}/close`, headers: bearer(both.token), payload: { reason: 'resolved' } });

      const res = await close();
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id, status: 'closed', closeReason: 'resolved', assigneeId: both.id });
      const agent = await h.deps.db.selectFrom('agents').select('active_chat').where('user_id', '=', both.id).executeTakeFirstOrThrow();
      expect(agent.active_chat).toBe(0);
      const [drain] = await drains();
      expect(drain?.reason).toBe('conversation_closed');
      expect([...drain!.teamIds].sort()).toEqual([w.tenant.teamId, w.tenant.teams.tier2!].sort());
      await waitFor(() => events.find((e) => e.type === 'conversation.updated' && e.data.id === id), 'conversation.updated');

      const again = await close();
      expect(again.statusCode).toBe(200);
      expect(again.json().status).toBe('closed');
      const closings = await h.deps.db.selectFrom('assignments').select('action').where('conversation_id', '=', id).execute();
      expect(closings).toEqual([{ action: 'closed' }]);
    });

    it('closes without a body', async () => {
      const res = await h.app.inject({ method: 'POST', url: `/v1/conversations/${await w.agent1Conversation()}/close`, headers: bearer(w.token('admin')) });
      expect([res.statusCode, res.json().closeReason]).toEqual([200, null]);
    });
  });
});
