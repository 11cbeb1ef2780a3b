import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '@sapa/contracts';
import { patchTenantSettings } from '@sapa/db/queries/tenant-settings';
import { createApiChannel, createTenant, type TestTenant } from '@sapa/test-support';
import { eventually, routerHarness } from './router-harness.js';

/**
 * issue 6 item 4: the response-time rule (seed: RT ≤ 3 minutes, here 1 s) and the tenant's chain of steps, on two
 * routers with real BullMQ delayed jobs: an agent who does not answer loses the conversation to another agent of the
 * team, then it goes back to the head of the queue a little higher, then the team leader is alerted, then it is
 * escalated to Tier 2 — each step recorded in the assignment history and told to the team's leaders.
 */
describe('the first-response chain', () => {
  const h = routerHarness();
  let tenant: TestTenant;
  let channelId: string;
  const events: DomainEvent[] = [];
  let unsubscribe: () => Promise<void>;

  beforeAll(async () => {
    tenant = await createTenant(h.db, {
      lead: { roles: ['team_leader'], teams: ['cs'], leaderOf: ['cs'] },
      budi: { roles: ['agent'], teams: ['cs'], presence: 'online' },
      sari: { roles: ['agent'], teams: ['cs'], presence: 'online' },
    });
    channelId = (await createApiChannel(h.db, tenant.id)).id;
    await patchTenantSettings(h.db, tenant.id, {
      routing: {
        firstResponseSeconds: 1,
        responseChain: [{ action: 'reassign' }, { action: 'requeue', raisePriority: 10 }, { action: 'alert_leader' }, { action: 'escalate', team: 'tier2' }],
      },
    });
    unsubscribe = await h.bus.subscribe((e) => events.push(e));
    await h.startRouter();
    await h.startRouter();
  });
  afterAll(async () => {
    await unsubscribe();
    await h.close();
  });

  const conversationOf = async (contact: string) =>
    h.db
      .selectFrom('conversations as c')
      .innerJoin('contact_identities as i', 'i.contact_id', 'c.contact_id')
      .selectAll('c')
      .where('i.external_id', '=', contact)
      .where('c.tenant_id', '=', tenant.id)
      .executeTakeFirst();
  const history = (conversationId: string) =>
    h.db.selectFrom('assignments').select(['action', 'agent_id', 'team_id', 'reason']).where('conversation_id', '=', conversationId).orderBy('created_at').orderBy('id').execute();
  const name = (id: string | null) => Object.entries(tenant.users).find(([, u]) => u.id === id)?.[0] ?? null;

  it('takes the conversation from an agent who does not answer, gives it to the other, and walks the chain to Tier 2', async () => {
    const contact = `rt-${randomUUID()}`;
    await h.send({ tenantId: tenant.id, channelId, channelType: 'api', externalMessageId: randomUUID(), from: { externalId: contact }, text: 'Halo, saldo saya belum masuk' });
    const first = await eventually(async () => {
      const c = await conversationOf(contact);
      return c?.status === 'assigned' && c;
    });
    const firstAgent = first.assignee_id!;

    // Taken back after 1 s and offered to the other agent of the team.
    const second = await eventually(async () => {
      const c = await conversationOf(contact);
      return c?.status === 'assigned' && c.assignee_id !== firstAgent && c;
    });
    expect(second).toMatchObject({ reassign_count: 1, response_step: 1, passed_over: [firstAgent] });
    const breach = events.find((e) => e.type === 'sla.breached' && e.data.conversationId === first.id);
    expect(breach).toMatchObject({ audience: { leadersOfTeamId: tenant.teamId }, data: { subject: 'conversation', reason: 'first_response', agentId: firstAgent, action: 'reassign' } });

    // Then requeued higher, alerted, and escalated to Tier 2, where nobody is online: it waits there.
    const escalated = await eventually(async () => {
      const c = await conversationOf(contact);
      return c?.team_id === tenant.teams.tier2 && c;
    }, 15_000);
    expect(escalated).toMatchObject({ status: 'queued', assignee_id: null, priority: 10, response_step: 4, passed_over: [] });

    const steps = (await history(first.id)).map((r) => [r.action, name(r.agent_id), r.reason]);
    expect(steps).toEqual([
      ['assigned', name(firstAgent), null],
      ['unassigned', name(firstAgent), 'no_first_response'],
      ['assigned', name(second.assignee_id), null],
      ['queued', name(second.assignee_id), 'no_first_response'],
      ['assigned', expect.any(String), null],
      ['alerted', expect.any(String), 'no_first_response'],
      ['escalated', expect.any(String), 'no_first_response'],
    ]);
    // Events are published after each step's commit: the last may still be on its way when the rows show it.
    const actions = await eventually(async () => {
      const seen = events.filter((e) => e.type === 'sla.breached' && e.data.conversationId === first.id).map((e) => e.data.action);
      return seen.length >= 4 && seen;
    });
    expect(actions).toEqual(['reassign', 'requeue', 'alert_leader', 'escalate']);
    // Nobody holds more than they have: the capacity of everyone who lost it came back.
    const agents = await h.db.selectFrom('agents').select(['user_id', 'active_chat']).where('tenant_id', '=', tenant.id).execute();
    expect(agents.every((a) => a.active_chat === 0)).toBe(true);
  });

  it('leaves an answered conversation with its agent', async () => {
    const contact = `rt-${randomUUID()}`;
    await h.send({ tenantId: tenant.id, channelId, channelType: 'api', externalMessageId: randomUUID(), from: { externalId: contact }, text: 'Mau tanya bon' });
    const conv = await eventually(async () => {
      const c = await conversationOf(contact);
      return c?.status === 'assigned' && c;
    });
    await h.db
      .insertInto('messages')
      .values({ tenant_id: tenant.id, conversation_id: conv.id, channel_id: channelId, direction: 'out', author_type: 'agent', author_id: conv.assignee_id, text: 'Selamat siang, ada yang bisa dibantu?', status: 'queued' })
      .execute();
    await new Promise((r) => setTimeout(r, 2000));
    const after = await conversationOf(contact);
    expect(after).toMatchObject({ status: 'assigned', assignee_id: conv.assignee_id, response_step: 0, reassign_count: 0 });
    expect(events.some((e) => e.type === 'sla.breached' && e.data.conversationId === conv.id)).toBe(false);
  });
});
