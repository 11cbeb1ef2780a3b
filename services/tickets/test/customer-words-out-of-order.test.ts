import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestTenant } from '@sapa/test-support';
import { eventually, ticketsHarness } from './tickets-harness.js';

/**
 * The router stores a customer's message at its adapter's accept time (services/router README §Order of a customer's
 * messages), and `customer_message.at` is that time: two words of one customer stored side by side reach the clock in
 * either order. The last word on record only moves forward.
 */
describe('customer words reaching the inactivity clock out of order', () => {
  const h = ticketsHarness();
  let tenant: TestTenant;
  let channelId: string;

  beforeAll(async () => {
    ({ tenant, channelId } = await h.tenantWithClock({ firstNudgeSeconds: 600, secondNudgeSeconds: 600, closeSeconds: 600 }));
    await h.startTickets();
  });
  afterAll(() => h.close());

  it('keeps last_contact_message_at at the later word when the earlier one is reported after it', async () => {
    const conversationId = await h.conversation(tenant, channelId);
    const agentAt = await h.event(tenant.id, conversationId, 'agent_message', new Date(Date.now() - 1000));
    const earlier = new Date(agentAt.getTime() + 200);
    const later = new Date(agentAt.getTime() + 205);
    await h.event(tenant.id, conversationId, 'customer_message', later);
    await eventually(async () => (await h.conversationRow(conversationId)).last_contact_message_at?.getTime() === later.getTime());

    await h.event(tenant.id, conversationId, 'customer_message', earlier);
    const outcome = await eventually(async () => {
      const jobs = await h.producer.queue('handling').getJobs(['completed', 'failed']);
      return jobs.find((j) => j?.data.conversationId === conversationId && j.data.at === earlier.toISOString())?.returnvalue as string | undefined;
    });
    expect(outcome).toBe('not_newer');
    const row = await h.conversationRow(conversationId);
    expect(row.last_contact_message_at?.getTime()).toBe(later.getTime());
    expect(row.last_agent_message_at?.getTime()).toBe(agentAt.getTime());
  });
});
