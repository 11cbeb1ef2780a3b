import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, createHarness, type Harness } from './harness.js';
import { seedConversation, tenantSnapshot } from './seed.js';
import { createWorld, type World } from './world.js';

const HOUR = 60 * 60 * 1000;

/**
 * issue 7 §WhatsApp Cloud: the 24-hour customer-service window. Free text to a whatsapp_cloud customer who last wrote
 * more than 24 hours ago is refused before anything is stored; an approved template goes at any time.
 */
describe('replies on WhatsApp Cloud and the 24-hour window', () => {
  let h: Harness;
  let w: World;
  let channelId: string;

  beforeAll(async () => {
    h = await createHarness();
    w = await createWorld(h.deps.db);
    const channel = await h.deps.db
      .insertInto('channels')
      .values({ tenant_id: w.tenant.id, type: 'whatsapp_cloud', name: 'WA', team_id: w.tenant.teamId, config: JSON.stringify({ phoneNumberId: '106540352242922' }) })
      .returning('id')
      .executeTakeFirstOrThrow();
    channelId = channel.id;
  });
  afterAll(async () => {
    await h.deps.producer.queue('outbound.whatsapp_cloud').obliterate({ force: true });
    await h.close();
  });

  /** An agent1 conversation whose customer last wrote `hoursAgo` (both Meta's stamp and Sapa's receipt moved). */
  async function conversationSilentFor(hoursAgo: number | null): Promise<string> {
    const id = await seedConversation(h.deps.db, w.tenant.id, { channelId, teamId: w.tenant.teamId, assigneeId: w.userId('agent1'), messages: hoursAgo === null ? [] : ['Halo'] });
    if (hoursAgo !== null) {
      const at = new Date(Date.now() - hoursAgo * HOUR);
      await h.deps.db.updateTable('messages').set({ created_at: at, sent_at: at }).where('conversation_id', '=', id).execute();
    }
    return id;
  }

  const reply = (conversationId: string, payload: Record<string, unknown>) =>
    h.app.inject({ method: 'POST', url: `/v1/conversations/${conversationId}/messages`, payload, headers: bearer(w.token('agent1')) });

  it.each([
    ['25 hours', 25],
    ['exactly 24 hours', 24],
    ['a week', 24 * 7],
  ])('refuses free text to a customer silent for %s with 409 outside_service_window, changing nothing', async (_what, hours) => {
    const conv = await conversationSilentFor(hours);
    const before = await tenantSnapshot(h.deps.db, w.tenant.id);
    const res = await reply(conv, { text: 'Halo Pak, ada kabar?' });
    expect([res.statusCode, res.json().error.code]).toEqual([409, 'outside_service_window']);
    const { lastCustomerMessageAt, windowClosedAt } = res.json().error.details as Record<string, string>;
    expect(new Date(windowClosedAt).getTime() - new Date(lastCustomerMessageAt).getTime()).toBe(24 * HOUR);
    expect(Date.now() - new Date(lastCustomerMessageAt).getTime()).toBeGreaterThanOrEqual(hours * HOUR);
    expect(await tenantSnapshot(h.deps.db, w.tenant.id)).toEqual(before);
    expect(await h.deps.producer.queue('outbound.whatsapp_cloud').getJobCounts()).toMatchObject({ waiting: 0 });
  });

  it('refuses free text to a customer who never wrote (null lastCustomerMessageAt)', async () => {
    const res = await reply(await conversationSilentFor(null), { text: 'Halo' });
    expect([res.statusCode, res.json().error.code, res.json().error.details]).toEqual([409, 'outside_service_window', { lastCustomerMessageAt: null, windowClosedAt: null }]);
  });

  it('sends free text to a customer who wrote 23 hours ago', async () => {
    const res = await reply(await conversationSilentFor(23), { text: 'Baik Pak, kami cek dulu.' });
    expect(res.statusCode).toBe(201);
  });

  it('counts the customer\'s latest message on the number, even in an earlier conversation', async () => {
    const conv = await conversationSilentFor(30);
    const contact = await h.deps.db.selectFrom('conversations').select('contact_id').where('id', '=', conv).executeTakeFirstOrThrow();
    const earlier = await h.deps.db
      .insertInto('conversations')
      .values({ tenant_id: w.tenant.id, channel_id: channelId, contact_id: contact.contact_id, team_id: w.tenant.teamId, kind: 'chat', status: 'closed' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await h.deps.db
      .insertInto('messages')
      .values({ tenant_id: w.tenant.id, conversation_id: earlier.id, channel_id: channelId, direction: 'in', author_type: 'contact', text: 'Masih ada?', status: 'received', created_at: new Date(Date.now() - HOUR) })
      .execute();
    expect((await reply(conv, { text: 'Baik Pak.' })).statusCode).toBe(201);
  });

  it('sends a template outside the window, stored so agents see it and the gateway sends it', async () => {
    const conv = await conversationSilentFor(48);
    const template = { name: 'follow_up_order', language: 'id', components: [{ type: 'body', parameters: [{ type: 'text', text: 'INV-0042' }] }] };
    const res = await reply(conv, { template });
    expect(res.statusCode).toBe(201);
    const id = res.json().id as string;
    const message = await h.deps.db.selectFrom('messages').select(['text', 'status', 'author_type']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(message).toEqual({ text: '[template: follow_up_order (id)]', status: 'queued', author_type: 'agent' });
    const stored = await h.deps.db.selectFrom('whatsapp_template_messages').select(['name', 'language', 'components']).where('message_id', '=', id).executeTakeFirstOrThrow();
    expect(stored).toEqual(template);
    const jobs = await h.deps.producer.queue('outbound.whatsapp_cloud').getJobs(['waiting']);
    expect(jobs.filter((j) => j.data.messageId === id)).toHaveLength(1);

    const listed = await h.app.inject({ method: 'GET', url: `/v1/conversations/${conv}/messages`, headers: bearer(w.token('agent1')) });
    expect(listed.json().items.map((m: { text: string }) => m.text)).toContain('[template: follow_up_order (id)]');
  });

  it('sends a template inside the window too', async () => {
    const res = await reply(await conversationSilentFor(1), { template: { name: 'order_shipped', language: 'en_US' } });
    expect(res.statusCode).toBe(201);
  });

  describe('an agent closing outside the window', () => {
    const close = (conversationId: string) =>
      h.app.inject({ method: 'POST', url: `/v1/conversations/${conversationId}/close`, payload: {}, headers: bearer(w.token('agent1')) });
    const systemTexts = (conversationId: string) =>
      h.deps.db.selectFrom('messages').select('text').where('conversation_id', '=', conversationId).where('author_type', '=', 'system').execute();
    const setClosingTemplate = (closingTemplate: { name: string; language: string } | null) =>
      h.app.inject({ method: 'PATCH', url: '/v1/tenant/settings', payload: { whatsapp: { closingTemplate } }, headers: bearer(w.token('admin')) });

    it('closes without a text, and says why in the audit log, when no closing template is configured', async () => {
      expect((await setClosingTemplate(null)).statusCode).toBe(200);
      const conv = await conversationSilentFor(30);
      const res = await close(conv);
      expect([res.statusCode, res.json().status]).toEqual([200, 'closed']);
      expect(await systemTexts(conv)).toEqual([]);
      const audit = await h.deps.db.selectFrom('audit_log').select(['action', 'details']).where('target_id', '=', conv).execute();
      expect(audit).toEqual([expect.objectContaining({ action: 'conversation.closing_skipped', details: expect.objectContaining({ reason: 'outside_service_window' }) })]);
    });

    it('sends the tenant\'s closing template instead of the text', async () => {
      expect((await setClosingTemplate({ name: 'terima_kasih', language: 'id' })).statusCode).toBe(200);
      const conv = await conversationSilentFor(30);
      expect((await close(conv)).statusCode).toBe(200);
      expect(await systemTexts(conv)).toEqual([{ text: '[template: terima_kasih (id)]' }]);
      const stored = await h.deps.db
        .selectFrom('whatsapp_template_messages')
        .innerJoin('messages', 'messages.id', 'whatsapp_template_messages.message_id')
        .select('whatsapp_template_messages.name')
        .where('messages.conversation_id', '=', conv)
        .execute();
      expect(stored).toEqual([{ name: 'terima_kasih' }]);
    });

    it('sends the closing text as usual inside the window', async () => {
      const conv = await conversationSilentFor(2);
      expect((await close(conv)).statusCode).toBe(200);
      const texts = await systemTexts(conv);
      expect(texts).toHaveLength(1);
      expect(texts[0]!.text).not.toMatch(/^\[template/);
    });
  });
});
