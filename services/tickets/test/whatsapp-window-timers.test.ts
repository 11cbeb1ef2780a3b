import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestTenant } from '@sapa/test-support';
import { eventually, ticketsHarness } from './tickets-harness.js';

const HOUR = 60 * 60 * 1000;
const FAST = { firstNudgeSeconds: 1, secondNudgeSeconds: 1, closeSeconds: 1 };
const NUDGE = 'Apakah saat ini Bapak/Ibu masih terhubung dengan kami?';

/**
 * issue 7 §WhatsApp Cloud: nudges and the closing text that would fall outside the customer's 24-hour window go as
 * the tenant's templates, or are skipped and recorded (audit log), and a closing still closes. Never a free text
 * WhatsApp would refuse, never silence.
 */
describe('the inactivity clock on WhatsApp Cloud and the 24-hour window', () => {
  const h = ticketsHarness();
  let withTemplates: { tenant: TestTenant; channelId: string };
  let withoutTemplates: { tenant: TestTenant; channelId: string };

  async function whatsappTenant(whatsapp: Record<string, unknown> | undefined) {
    const { tenant } = await h.tenantWithClock(FAST);
    if (whatsapp) {
      await h.db
        .updateTable('tenants')
        .set({ settings: JSON.stringify({ brand: 'Toko Maju', inactivity: { liveChatLeaveCloseSeconds: 1, ...FAST }, whatsapp }) })
        .where('id', '=', tenant.id)
        .execute();
    }
    return { tenant, channelId: await h.channelOfType(tenant.id, 'whatsapp_cloud') };
  }

  /** An assigned conversation whose customer last wrote `hoursAgo`. */
  async function conversationSilentFor(t: { tenant: TestTenant; channelId: string }, hoursAgo: number): Promise<string> {
    const id = await h.conversation(t.tenant, t.channelId);
    const at = new Date(Date.now() - hoursAgo * HOUR);
    await h.db
      .insertInto('messages')
      .values({ tenant_id: t.tenant.id, conversation_id: id, channel_id: t.channelId, direction: 'in', author_type: 'contact', text: 'Halo', status: 'received', sent_at: at, created_at: at })
      .execute();
    return id;
  }

  const closedConversation = (id: string) => eventually(async () => {
    const c = await h.conversationRow(id);
    return c.status === 'closed' && c;
  });

  beforeAll(async () => {
    withTemplates = await whatsappTenant({ nudgeTemplate: { name: 'still_there', language: 'id' }, closingTemplate: { name: 'thanks_bye', language: 'id' } });
    withoutTemplates = await whatsappTenant(undefined);
    await h.startTickets();
  });
  afterAll(async () => {
    await h.producer.queue('outbound.whatsapp_cloud').obliterate({ force: true }).catch(() => undefined);
    await h.close();
  });

  it('sends the tenant’s nudge and closing templates once the window has closed, and closes', async () => {
    const id = await conversationSilentFor(withTemplates, 25);
    await h.event(withTemplates.tenant.id, id, 'agent_message');
    expect((await closedConversation(id)).close_reason).toBe('no_response');

    const messages = await h.systemMessages(id);
    expect(messages.map((m) => m.text)).toEqual(['[template: still_there (id)]', '[template: still_there (id)]', '[template: thanks_bye (id)]']);
    const templates = await h.db.selectFrom('whatsapp_template_messages').select(['message_id', 'name', 'language', 'components']).where('message_id', 'in', messages.map((m) => m.id)).execute();
    expect(templates.map(({ message_id, ...t }) => [messages.findIndex((m) => m.id === message_id), t]).sort()).toEqual([
      [0, { name: 'still_there', language: 'id', components: [] }],
      [1, { name: 'still_there', language: 'id', components: [] }],
      [2, { name: 'thanks_bye', language: 'id', components: [] }],
    ]);
    // Each goes out on the channel like any other system text.
    expect((await h.deliveries(id)).map((d) => d.message_id).sort()).toEqual(messages.map((m) => m.id).sort());
  });

  it('skips nudge and closing text without a template, records each skip, and still closes', async () => {
    const id = await conversationSilentFor(withoutTemplates, 30);
    await h.event(withoutTemplates.tenant.id, id, 'agent_message');
    expect((await closedConversation(id)).close_reason).toBe('no_response');

    expect(await h.systemMessages(id)).toEqual([]);
    expect(await h.deliveries(id)).toEqual([]);
    const audit = await eventually(async () => {
      const rows = await h.db.selectFrom('audit_log').select(['action', 'target_id', 'details']).where('tenant_id', '=', withoutTemplates.tenant.id).where('target_id', '=', id).orderBy('created_at').execute();
      return rows.length >= 3 && rows;
    });
    expect(audit.map((a) => [a.action, a.details.timer, a.details.reason])).toEqual([
      ['conversation.nudge_skipped', 'nudge1', 'outside_service_window'],
      ['conversation.nudge_skipped', 'nudge2', 'outside_service_window'],
      ['conversation.closing_skipped', 'close', 'outside_service_window'],
    ]);
    expect(audit[0]!.details.note).toContain('nudge skipped: outside the WhatsApp 24-hour window');
    expect(new Date(audit[0]!.details.windowClosedAt as string).getTime() - new Date(audit[0]!.details.lastCustomerMessageAt as string).getTime()).toBe(24 * HOUR);
    // The agent's room is free again.
    const agent = await h.db.selectFrom('agents').select('active_chat').where('user_id', '=', withoutTemplates.tenant.users.agent1!.id).executeTakeFirstOrThrow();
    expect(agent.active_chat).toBe(0);
  });

  it('sends the ordinary texts while the window is open, templates or not', async () => {
    const id = await conversationSilentFor(withTemplates, 1);
    await h.event(withTemplates.tenant.id, id, 'agent_message');
    await closedConversation(id);
    const texts = (await h.systemMessages(id)).map((m) => m.text);
    expect(texts.slice(0, 2)).toEqual([NUDGE, NUDGE]);
    expect(texts[2]).toMatch(/^Terima kasih telah menghubungi Toko Maju\./);
  });
});
