import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { closeConversation } from '@sapa/db/queries/conversation-commands';
import { replaceRoutingRules } from '@sapa/db/queries/routing-rules';
import { FRAUD_PRIORITY } from '@sapa/routing';
import { createApiChannel, createTenant, type TestTenant } from '@sapa/test-support';
import { eventually, routerHarness } from './router-harness.js';

/**
 * issue 6 items 2 and 3 through the router: the tenant's rules pick the queue, priority, skills and language of a
 * new conversation; fraud reports come first and go to an agent with the skill; a need nobody free meets does not
 * hold back the rest of the queue; a returning contact goes back to the agent who served them.
 */
describe('routing rules and skills', () => {
  const h = routerHarness();
  let tenant: TestTenant;
  let channelId: string;

  beforeAll(async () => {
    tenant = await createTenant(
      h.db,
      {
        umum: { roles: ['agent'], teams: ['cs'], presence: 'online', capacity: { chat: 5 } },
        fraud: { roles: ['agent'], teams: ['cs'], presence: 'online', capacity: { chat: 5 } },
        inggris: { roles: ['agent'], teams: ['cs'], presence: 'online', capacity: { chat: 5 } },
        vip: { roles: ['agent'], teams: ['vip'], presence: 'online', capacity: { chat: 5 } },
      },
      ['cs', 'tier2', 'vip'],
    );
    const agent = (name: string) => tenant.users[name]!.id;
    await h.db.updateTable('agents').set({ skills: JSON.stringify({ fraud: 4 }), languages: ['id'] }).where('user_id', '=', agent('fraud')).execute();
    await h.db.updateTable('agents').set({ languages: ['en'] }).where('user_id', '=', agent('inggris')).execute();
    await h.db.updateTable('agents').set({ languages: ['id'] }).where('user_id', '=', agent('umum')).execute();
    channelId = (await createApiChannel(h.db, tenant.id)).id;
    await replaceRoutingRules(h.db, tenant.id, [
      { key: 'vip_customers', when: { contactAttributes: { vip: true } }, then: { teamId: tenant.teams.vip!, priority: 50 } },
      { key: 'fraud_desk', when: { playbookGroups: ['fraud'] }, then: { skills: [{ key: 'fraud', level: 3 }] } },
      { key: 'english', when: { keywords: ['hello', 'please'] }, then: { language: 'en' } },
      { key: 'audit', when: { keywords: ['audit'] }, then: { skills: [{ key: 'audit', level: 5 }] } },
    ]);
    await h.startRouter();
  });
  afterAll(() => h.close());

  async function write(contact: string, text: string, attributes?: Record<string, unknown>) {
    if (attributes) {
      const existing = await h.db.selectFrom('contact_identities').select('contact_id').where('external_id', '=', contact).executeTakeFirst();
      if (!existing) {
        const c = await h.db.insertInto('contacts').values({ tenant_id: tenant.id, name: contact, attributes: JSON.stringify(attributes) }).returning('id').executeTakeFirstOrThrow();
        await h.db.insertInto('contact_identities').values({ tenant_id: tenant.id, contact_id: c.id, channel_id: channelId, external_id: contact }).execute();
      }
    }
    await h.send({ tenantId: tenant.id, channelId, channelType: 'api', externalMessageId: randomUUID(), from: { externalId: contact }, text });
    return eventually(async () => {
      const c = await h.db
        .selectFrom('conversations as c')
        .innerJoin('contact_identities as i', 'i.contact_id', 'c.contact_id')
        .selectAll('c')
        .where('i.external_id', '=', contact)
        .where('c.status', '<>', 'closed')
        .executeTakeFirst();
      return c && c;
    });
  }
  const agentName = (id: string | null) => Object.entries(tenant.users).find(([, u]) => u.id === id)?.[0];

  it('sends a fraud report first, to the agent with the fraud skill', async () => {
    const conv = await write(`c-${randomUUID()}`, 'Tolong! Akun saya dibajak, ada penipuan atas nama saya');
    const assigned = await eventually(async () => {
      const c = await h.db.selectFrom('conversations').selectAll().where('id', '=', conv.id).executeTakeFirstOrThrow();
      return c.status === 'assigned' && c;
    });
    expect(assigned).toMatchObject({ priority: FRAUD_PRIORITY, routing_rule: 'fraud_desk', required_skills: { fraud: 3 } });
    expect(agentName(assigned.assignee_id)).toBe('fraud');
  });

  it('gives an English speaker the agent who serves English, and a VIP contact the VIP queue', async () => {
    const english = await write(`c-${randomUUID()}`, 'Hello, please help me with my deposit');
    await eventually(async () => (await h.db.selectFrom('conversations').select('status').where('id', '=', english.id).executeTakeFirstOrThrow()).status === 'assigned');
    const en = await h.db.selectFrom('conversations').selectAll().where('id', '=', english.id).executeTakeFirstOrThrow();
    expect([en.language, agentName(en.assignee_id)]).toEqual(['en', 'inggris']);

    const vip = await write(`c-${randomUUID()}`, 'Saldo belum masuk', { vip: true });
    const v = await eventually(async () => {
      const c = await h.db.selectFrom('conversations').selectAll().where('id', '=', vip.id).executeTakeFirstOrThrow();
      return c.status === 'assigned' && c;
    });
    expect([v.team_id, v.priority, v.routing_rule, agentName(v.assignee_id)]).toEqual([tenant.teams.vip, 50, 'vip_customers', 'vip']);
  });

  it('keeps a conversation whose need nobody meets waiting without holding back the ones behind it', async () => {
    const audit = await write(`c-${randomUUID()}`, 'Saya minta audit transaksi bulan lalu');
    const after = await write(`c-${randomUUID()}`, 'Pulsa belum masuk');
    await eventually(async () => (await h.db.selectFrom('conversations').select('status').where('id', '=', after.id).executeTakeFirstOrThrow()).status === 'assigned');
    const waiting = await h.db.selectFrom('conversations').select(['status', 'required_skills']).where('id', '=', audit.id).executeTakeFirstOrThrow();
    expect(waiting).toEqual({ status: 'queued', required_skills: { audit: 5 } });
  });

  it('gives a returning contact the agent who served them last', async () => {
    const contact = `c-${randomUUID()}`;
    const first = await write(contact, 'Mau tanya harga paket data');
    const served = await eventually(async () => {
      const c = await h.db.selectFrom('conversations').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow();
      return c.status === 'assigned' && c;
    });
    await closeConversation(h.db, tenant.id, first.id, { actorId: null, reason: 'resolved' });
    const again = await write(contact, 'Saya mau tanya lagi soal paket data');
    const second = await eventually(async () => {
      const c = await h.db.selectFrom('conversations').selectAll().where('id', '=', again.id).executeTakeFirstOrThrow();
      return c.status === 'assigned' && c;
    });
    expect(second.assignee_id).toBe(served.assignee_id);
    const row = await h.db.selectFrom('assignments').select('reason').where('conversation_id', '=', again.id).where('action', '=', 'assigned').executeTakeFirstOrThrow();
    expect(row.reason).toBe('sticky');
  });
});
