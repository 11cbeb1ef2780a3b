import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { InboundMessage } from '@sapa/contracts';
import { createDb } from '@sapa/db';
import { setPresence } from '@sapa/db/queries/agents';
import { listAssignments } from '@sapa/db/queries/assignments';
import { closeConversation, transferToAgent, transferToTeam } from '@sapa/db/queries/conversation-commands';
import { createApiChannel, createTenant, testEnv, type TestTenant } from '@sapa/test-support';
import { assignConversation, drainTeam } from '../src/assign-conversation.js';
import { persistInbound } from '../src/persist-inbound.js';

const db = createDb({ connectionString: testEnv().databaseUrl, max: 5 });
afterAll(() => db.destroy());

function inbound(tenant: TestTenant, channelId: string, from: string, over: Partial<InboundMessage> = {}): InboundMessage {
  return {
    tenantId: tenant.id,
    channelId,
    channelType: 'api',
    externalMessageId: randomUUID(),
    from: { externalId: from, name: `Customer ${from}` },
    text: 'Halo, saldo saya belum masuk',
    attachments: [],
    receivedAt: new Date().toISOString(),
    ...over,
  };
}

async function arrive(m: InboundMessage) {
  const out = await persistInbound(db, m, async () => []);
  if (out.kind !== 'stored') return out;
  const { conversation } = await assignConversation(db, m.tenantId, out.conversation.id);
  return { ...out, conversation: conversation ?? out.conversation };
}

async function agentLoad(tenantId: string, agentId: string) {
  return db.selectFrom('agents').select(['active_chat', 'presence']).where('tenant_id', '=', tenantId).where('user_id', '=', agentId).executeTakeFirstOrThrow();
}

describe('an inbound message', () => {
  let tenant: TestTenant;
  let channelId: string;
  beforeAll(async () => {
    tenant = await createTenant(db);
    channelId = (await createApiChannel(db, tenant.id)).id;
  });

  it('creates contact, conversation and message, and waits in the queue when nobody is online', async () => {
    const out = await arrive(inbound(tenant, channelId, 'c-queued'));
    if (out.kind !== 'stored') throw new Error(out.kind);
    expect(out.conversation).toMatchObject({ status: 'queued', assignee_id: null, team_id: tenant.teamId, kind: 'chat' });
    expect(out.contact.name).toBe('Customer c-queued');
    expect(out.message).toMatchObject({ direction: 'in', author_type: 'contact', status: 'received' });
  });

  it('joins the contact’s open conversation instead of opening a second one', async () => {
    const a = await arrive(inbound(tenant, channelId, 'c-twice'));
    const b = await arrive(inbound(tenant, channelId, 'c-twice'));
    if (a.kind !== 'stored' || b.kind !== 'stored') throw new Error('not stored');
    expect(b.conversation.id).toBe(a.conversation.id);
    expect(b.newConversation).toBe(false);
  });

  it('is stored once when the channel delivers it twice', async () => {
    const m = inbound(tenant, channelId, 'c-dup');
    expect((await arrive(m)).kind).toBe('stored');
    expect((await arrive(m)).kind).toBe('duplicate');
    const n = await db.selectFrom('messages').select(db.fn.countAll<number>().as('n')).where('external_id', '=', m.externalMessageId).executeTakeFirstOrThrow();
    expect(n.n).toBe(1);
  });

  it('is dropped when its channel no longer exists, and nothing is stored', async () => {
    const out = await arrive(inbound(tenant, randomUUID(), 'c-gone'));
    expect(out.kind).toBe('channel_gone');
  });

  it('routes to the tenant’s default team when its channel has no team', async () => {
    const out = await arrive(inbound(tenant, channelId, 'c-default'));
    if (out.kind !== 'stored') throw new Error(out.kind);
    expect(out.conversation.team_id).toBe(tenant.teamId);
  });

  it('routes to the channel’s team when it has one', async () => {
    const tier2Channel = await createApiChannel(db, tenant.id, { teamId: tenant.teams.tier2 });
    const out = await arrive(inbound(tenant, tier2Channel.id, 'c-tier2'));
    if (out.kind !== 'stored') throw new Error(out.kind);
    expect(out.conversation.team_id).toBe(tenant.teams.tier2);
  });
});

describe('assignment', () => {
  it('gives a new conversation to the least-busy online agent, ties round-robin', async () => {
    const tenant = await createTenant(db);
    const { id: channelId } = await createApiChannel(db, tenant.id);
    const { agent1, agent2 } = tenant.users;
    await setPresence(db, tenant.id, agent1!.id, 'online');
    await setPresence(db, tenant.id, agent2!.id, 'online');
    const owners: string[] = [];
    for (let i = 0; i < 4; i++) {
      const out = await arrive(inbound(tenant, channelId, `rr-${i}`));
      if (out.kind !== 'stored') throw new Error(out.kind);
      owners.push(out.conversation.assignee_id!);
    }
    expect(owners.filter((o) => o === agent1!.id)).toHaveLength(2);
    expect(owners.filter((o) => o === agent2!.id)).toHaveLength(2);
    expect(owners[0]).not.toBe(owners[1]);
    expect((await agentLoad(tenant.id, agent1!.id)).active_chat).toBe(2);
  });

  it('never gives an agent more than their capacity; the rest wait, then go oldest first as room frees', async () => {
    const tenant = await createTenant(db, { agent1: { roles: ['agent'], teams: ['cs'], presence: 'online', capacity: { chat: 2 } } });
    const { id: channelId } = await createApiChannel(db, tenant.id);
    const convs = [];
    for (let i = 0; i < 4; i++) {
      const out = await arrive(inbound(tenant, channelId, `cap-${i}`));
      if (out.kind !== 'stored') throw new Error(out.kind);
      convs.push(out.conversation);
    }
    expect(convs.map((c) => c.status)).toEqual(['assigned', 'assigned', 'queued', 'queued']);
    expect((await agentLoad(tenant.id, tenant.users.agent1!.id)).active_chat).toBe(2);

    await closeConversation(db, tenant.id, convs[0]!.id, { actorId: tenant.users.agent1!.id, reason: 'solved' });
    const drained = await drainTeam(db, tenant.id, tenant.teamId);
    expect(drained.map((c) => c.id)).toEqual([convs[2]!.id]);
    expect((await agentLoad(tenant.id, tenant.users.agent1!.id)).active_chat).toBe(2);
  });

  it('assigns queued conversations as soon as an agent comes online, oldest first', async () => {
    const tenant = await createTenant(db);
    const { id: channelId } = await createApiChannel(db, tenant.id);
    const ids = [];
    for (let i = 0; i < 3; i++) {
      const out = await arrive(inbound(tenant, channelId, `wait-${i}`));
      if (out.kind !== 'stored') throw new Error(out.kind);
      ids.push(out.conversation.id);
    }
    await setPresence(db, tenant.id, tenant.users.agent1!.id, 'online');
    const drained = await drainTeam(db, tenant.id, tenant.teamId);
    expect(drained.map((c) => c.id)).toEqual(ids);
    expect(new Set(drained.map((c) => c.assignee_id))).toEqual(new Set([tenant.users.agent1!.id]));
  });

  it('ignores away and offline agents', async () => {
    const tenant = await createTenant(db);
    const { id: channelId } = await createApiChannel(db, tenant.id);
    await setPresence(db, tenant.id, tenant.users.agent1!.id, 'away');
    const out = await arrive(inbound(tenant, channelId, 'away-1'));
    if (out.kind !== 'stored') throw new Error(out.kind);
    expect(out.conversation.status).toBe('queued');
  });

  it('records every hop in the assignment history', async () => {
    const tenant = await createTenant(db);
    const { id: channelId } = await createApiChannel(db, tenant.id);
    const { agent1, agent2, lead } = tenant.users;
    await setPresence(db, tenant.id, agent1!.id, 'online');
    const out = await arrive(inbound(tenant, channelId, 'hist'));
    if (out.kind !== 'stored') throw new Error(out.kind);
    const moved = await transferToAgent(db, tenant.id, out.conversation.id, agent2!.id, { actorId: lead!.id, note: 'billing' });
    expect(moved.ok).toBe(true);
    expect((await agentLoad(tenant.id, agent1!.id)).active_chat).toBe(0);
    expect((await agentLoad(tenant.id, agent2!.id)).active_chat).toBe(1);
    const back = await transferToTeam(db, tenant.id, out.conversation.id, tenant.teams.tier2!, { actorId: lead!.id, note: null });
    expect(back).toMatchObject({ ok: true, conversation: { status: 'queued', assignee_id: null, team_id: tenant.teams.tier2 } });
    expect((await agentLoad(tenant.id, agent2!.id)).active_chat).toBe(0);
    await closeConversation(db, tenant.id, out.conversation.id, { actorId: lead!.id, reason: 'done' });
    const history = await listAssignments(db, tenant.id, out.conversation.id);
    expect(history.map((h) => [h.action, h.agent_id])).toEqual([
      ['assigned', agent1!.id],
      ['transferred', agent2!.id],
      ['transferred', null],
      ['closed', null],
    ]);
  });

  it('refuses a transfer to an agent who is full, and changes nothing', async () => {
    const tenant = await createTenant(db, {
      agent1: { roles: ['agent'], teams: ['cs'], presence: 'online' },
      agent2: { roles: ['agent'], teams: ['cs'], capacity: { chat: 0 } },
    });
    const { id: channelId } = await createApiChannel(db, tenant.id);
    const out = await arrive(inbound(tenant, channelId, 'full'));
    if (out.kind !== 'stored') throw new Error(out.kind);
    const res = await transferToAgent(db, tenant.id, out.conversation.id, tenant.users.agent2!.id, { actorId: null, note: null });
    expect(res).toEqual({ ok: false, reason: 'agent_at_capacity' });
    expect((await agentLoad(tenant.id, tenant.users.agent1!.id)).active_chat).toBe(1);
  });

  it('does not let one tenant touch another tenant’s conversation', async () => {
    const a = await createTenant(db);
    const b = await createTenant(db);
    const { id: channelId } = await createApiChannel(db, a.id);
    const out = await arrive(inbound(a, channelId, 'wall'));
    if (out.kind !== 'stored') throw new Error(out.kind);
    expect(await closeConversation(db, b.id, out.conversation.id, { actorId: null, reason: null })).toBeUndefined();
    expect(await transferToTeam(db, b.id, out.conversation.id, b.teamId, { actorId: null, note: null })).toEqual({ ok: false, reason: 'not_found' });
  });
});
