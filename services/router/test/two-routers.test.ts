import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { setPresence } from '@sapa/db/queries/agents';
import { closeConversation } from '@sapa/db/queries/conversation-commands';
import { createApiChannel, createTenant, type TestTenant } from '@sapa/test-support';
import { eventually, routerHarness } from './router-harness.js';

/** issue 3 §Router: two router instances on one Redis and one Postgres, under a burst. */
describe('two router instances under a burst', () => {
  const h = routerHarness();
  let tenant: TestTenant;
  let channelId: string;
  const AGENTS = 6;
  const CAPACITY = 3;
  const CONTACTS = 40;
  const MESSAGES_PER_CONTACT = 3;

  beforeAll(async () => {
    const users = Object.fromEntries(
      Array.from({ length: AGENTS }, (_, i) => [`agent${i}`, { roles: ['agent'], teams: ['cs'], presence: 'online' as const, capacity: { chat: CAPACITY } }]),
    );
    tenant = await createTenant(h.db, users);
    channelId = (await createApiChannel(h.db, tenant.id)).id;
    await h.startRouter();
    await h.startRouter();
  });
  afterAll(() => h.close());

  async function snapshot() {
    const agents = await h.db.selectFrom('agents').select(['user_id', 'active_chat', 'capacity_chat']).where('tenant_id', '=', tenant.id).execute();
    const open = await h.db
      .selectFrom('conversations')
      .select(['id', 'status', 'assignee_id', 'queued_at', 'contact_id'])
      .where('tenant_id', '=', tenant.id)
      .where('status', '<>', 'closed')
      .execute();
    const assignedTwice = await h.db
      .selectFrom('assignments')
      .select(['conversation_id', h.db.fn.countAll<number>().as('n')])
      .where('tenant_id', '=', tenant.id)
      .where('action', '=', 'assigned')
      .groupBy('conversation_id')
      .having(h.db.fn.countAll(), '>', 1)
      .execute();
    return { agents, open, assignedTwice };
  }

  it('never assigns a conversation twice nor puts an agent over capacity', async () => {
    const sends = [];
    for (let m = 0; m < MESSAGES_PER_CONTACT; m++) {
      for (let c = 0; c < CONTACTS; c++) {
        sends.push(h.send({ tenantId: tenant.id, channelId, channelType: 'api', externalMessageId: randomUUID(), from: { externalId: `burst-${c}` }, text: `pesan ${m}` }));
      }
    }
    await Promise.all(sends);
    await h.settle();

    const { agents, open, assignedTwice } = await snapshot();
    expect(assignedTwice).toEqual([]);
    // One open conversation per contact, however the two routers interleaved.
    expect(open).toHaveLength(CONTACTS);
    expect(new Set(open.map((c) => c.contact_id)).size).toBe(CONTACTS);
    const messages = await h.db.selectFrom('messages').select(h.db.fn.countAll<number>().as('n')).where('tenant_id', '=', tenant.id).where('direction', '=', 'in').executeTakeFirstOrThrow();
    expect(messages.n).toBe(CONTACTS * MESSAGES_PER_CONTACT);
    // Each conversation that had to wait was told so once (its place, or that the team is closed), whichever router took its messages.
    const notices = await h.db.selectFrom('messages').select('conversation_id').where('tenant_id', '=', tenant.id).where('author_type', '=', 'system').execute();
    expect(new Set(notices.map((n) => n.conversation_id)).size).toBe(notices.length);
    for (const a of agents) {
      expect(a.active_chat).toBeLessThanOrEqual(a.capacity_chat);
      expect(a.active_chat).toBe(open.filter((c) => c.assignee_id === a.user_id && c.status === 'assigned').length);
    }
    expect(open.filter((c) => c.status === 'assigned')).toHaveLength(AGENTS * CAPACITY);
    expect(open.filter((c) => c.status === 'queued')).toHaveLength(CONTACTS - AGENTS * CAPACITY);
  });

  it('hands freed capacity to the oldest waiting conversations, through either router', async () => {
    const before = await snapshot();
    // Queue order as Postgres keeps it (microseconds; a JS Date would round ties to the millisecond).
    const waiting = await h.db
      .selectFrom('conversations')
      .select('id')
      .where('tenant_id', '=', tenant.id)
      .where('status', '=', 'queued')
      .orderBy('priority', 'desc')
      .orderBy('queued_at')
      .orderBy('id')
      .execute();
    const toClose = before.open.filter((c) => c.status === 'assigned').slice(0, 4);
    for (const c of toClose) await closeConversation(h.db, tenant.id, c.id, { actorId: null, reason: 'solved' });
    await h.producer.add('routing', { tenantId: tenant.id, teamIds: [tenant.teamId], reason: 'test' });

    const expected = waiting.slice(0, 4).map((c) => c.id).sort();
    const newlyAssigned = async () =>
      (await snapshot()).open.filter((c) => c.status === 'assigned' && waiting.some((w) => w.id === c.id)).map((c) => c.id).sort();
    await eventually(async () => (await newlyAssigned()).length >= 4);
    expect(await newlyAssigned()).toEqual(expected);
    const after = await snapshot();
    expect(after.assignedTwice).toEqual([]);
    for (const a of after.agents) expect(a.active_chat).toBeLessThanOrEqual(a.capacity_chat);
  });

  it('assigns waiting conversations when an agent comes online, even without a drain job (the sweep)', async () => {
    const extra = await h.db.selectFrom('users').select('id').where('tenant_id', '=', tenant.id).where('name', '=', 'agent0').executeTakeFirstOrThrow();
    await h.db.updateTable('agents').set({ capacity_chat: CAPACITY + 2 }).where('user_id', '=', extra.id).execute();
    await setPresence(h.db, tenant.id, extra.id, 'online');
    await eventually(async () => {
      const a = await h.db.selectFrom('agents').select('active_chat').where('user_id', '=', extra.id).executeTakeFirstOrThrow();
      return a.active_chat === CAPACITY + 2;
    });
  });
});
