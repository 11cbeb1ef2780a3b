import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { patchTenantSettings } from '@sapa/db/queries/tenant-settings';
import { createApiChannel, createTenant, type TestTenant } from '@sapa/test-support';
import { eventually, routerHarness } from './router-harness.js';

const ALL_WEEK = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ from: '00:00', to: '24:00' }]]));

/**
 * issue 6 item 2: a customer whose new conversation has to wait is told so once, by template — out of the team's
 * business hours that it is closed, otherwise (when the tenant announces it) their place and the estimated wait.
 * The text is a `system` message sent on the channel like any reply.
 */
describe('telling the waiting customer', () => {
  const h = routerHarness();
  let tenant: TestTenant;
  let channelId: string;

  beforeAll(async () => {
    // Nobody online: every new conversation waits.
    tenant = await createTenant(h.db, { budi: { roles: ['agent'], teams: ['cs'] } }, ['cs', 'malam']);
    await patchTenantSettings(h.db, tenant.id, { brand: 'Toko Maju' });
    channelId = (await createApiChannel(h.db, tenant.id)).id;
    await h.startRouter();
  });
  afterAll(() => h.close());

  async function write(contact: string, text: string) {
    await h.send({ tenantId: tenant.id, channelId, channelType: 'api', externalMessageId: randomUUID(), from: { externalId: contact }, text });
    await h.settle();
    return h.db
      .selectFrom('conversations as c')
      .innerJoin('contact_identities as i', 'i.contact_id', 'c.contact_id')
      .select(['c.id', 'c.waiting_notice'])
      .where('i.external_id', '=', contact)
      .executeTakeFirstOrThrow();
  }
  const systemTexts = (conversationId: string) =>
    h.db.selectFrom('messages').select('text').where('conversation_id', '=', conversationId).where('author_type', '=', 'system').orderBy('created_at').execute();
  const deliveries = (conversationId: string) => h.db.selectFrom('deliveries').select('status').where('conversation_id', '=', conversationId).execute();

  it('tells a customer who writes while the team is closed, once, and sends it on the channel', async () => {
    await h.db.updateTable('teams').set({ business_hours: JSON.stringify({}) }).where('id', '=', tenant.teamId).execute();
    const contact = `c-${randomUUID()}`;
    const conv = await write(contact, 'Halo, saldo saya belum masuk');
    expect(conv.waiting_notice).toBe('out_of_hours');
    await write(contact, 'Halo? Ada orang?');
    expect(await systemTexts(conv.id)).toEqual([
      { text: 'Terima kasih telah menghubungi Toko Maju. Saat ini di luar jam layanan kami; pesan Bapak/Ibu sudah kami terima dan akan kami balas pada jam layanan berikutnya.' },
    ]);
    expect(await deliveries(conv.id)).toHaveLength(1);
    const jobs = await h.producer.queue('outbound.api').getJobs(['waiting', 'active', 'delayed', 'completed', 'failed']);
    expect(jobs.some((j) => j?.data.tenantId === tenant.id)).toBe(true);
  });

  it('tells a customer in open hours their place in the queue and the estimated wait', async () => {
    await h.db.updateTable('teams').set({ business_hours: JSON.stringify(ALL_WEEK) }).where('id', '=', tenant.teamId).execute();
    await h.db.updateTable('conversations').set({ status: 'closed', closed_at: new Date() }).where('tenant_id', '=', tenant.id).execute();
    // The router keeps a team's calendar for 100 ms here (settingsTtlMs).
    await new Promise((r) => setTimeout(r, 250));
    const convs = [];
    for (let i = 0; i < 3; i++) convs.push(await write(`q-${i}-${randomUUID()}`, 'Pulsa belum masuk'));
    // Nobody online counts as one agent; no history: five minutes a conversation.
    expect(await systemTexts(convs[2]!.id)).toEqual([
      { text: 'Terima kasih telah menunggu. Bapak/Ibu berada di antrean ke-3, perkiraan waktu tunggu sekitar 15 menit.' },
    ]);
    expect(convs.map((c) => c.waiting_notice)).toEqual(['queue_position', 'queue_position', 'queue_position']);
  });

  it('says nothing in open hours when the tenant does not announce places', async () => {
    await patchTenantSettings(h.db, tenant.id, { routing: { announceQueuePosition: false } });
    await new Promise((r) => setTimeout(r, 150));
    const conv = await write(`c-${randomUUID()}`, 'Mau tanya');
    await eventually(async () => true);
    expect(conv.waiting_notice).toBeNull();
    expect(await systemTexts(conv.id)).toEqual([]);
  });
});
