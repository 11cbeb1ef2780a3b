import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { DomainEvent } from '@sapa/contracts';
import { bearer, createHarness, type Harness } from './harness.js';
import { seedConversation } from './seed.js';
import { waitFor } from './wait-for.js';
import { createWorld, type UserName, type World } from './world.js';

// A Saturday, 10:00 in Jakarta: the closing phrase is "Selamat berakhir pekan".
const SATURDAY = new Date('2026-06-13T03:00:00Z');
const CLOSING = 'Terima kasih telah menghubungi Sapa. Selamat berakhir pekan.';

describe('closing sends the closing text, and close and transfer stop the inactivity clock', () => {
  let h: Harness;
  let w: World;
  const events: DomainEvent[] = [];
  let unsubscribe: () => Promise<void>;
  const close = (user: UserName, id: string, payload?: Record<string, unknown>) =>
    h.app.inject({ method: 'POST', url: `/v1/conversations/${id}/close`, headers: bearer(w.token(user)), ...(payload ? { payload } : {}) });
  const systemMessages = (id: string) =>
    h.deps.db.selectFrom('messages').selectAll().where('conversation_id', '=', id).where('author_type', '=', 'system').execute();
  const handlingJobs = async (id: string) =>
    (await h.deps.producer.queue('handling').getJobs(['waiting', 'prioritized', 'delayed'])).map((j) => j.data).filter((d) => d.conversationId === id);

  beforeAll(async () => {
    h = await createHarness({ now: () => SATURDAY });
    w = await createWorld(h.deps.db);
    unsubscribe = await h.deps.eventBus.subscribe((e) => events.push(e));
  });
  beforeEach(() => {
    events.length = 0;
  });
  afterAll(async () => {
    await unsubscribe();
    await h.close();
  });

  it('sends the closing template with the closing phrase as a system message on the channel, then closes', async () => {
    const id = await w.agent1Conversation();
    const before = Date.now();
    const res = await close('agent1', id, { reason: 'resolved' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, status: 'closed', closeReason: 'resolved' });

    const [message, ...more] = await systemMessages(id);
    expect(more).toEqual([]);
    expect(message).toMatchObject({ direction: 'out', author_type: 'system', author_id: null, text: CLOSING, status: 'queued', channel_id: w.channelId });
    const delivery = await h.deps.db.selectFrom('deliveries').selectAll().where('message_id', '=', message!.id).executeTakeFirstOrThrow();
    expect(delivery).toMatchObject({ status: 'pending', conversation_id: id, channel_id: w.channelId });
    const job = await h.deps.producer.queue('outbound.api').getJob(`out.${delivery.id}.0`);
    expect(job?.data).toEqual({ tenantId: w.tenant.id, deliveryId: delivery.id, messageId: message!.id, replay: 0 });

    const [handling] = await handlingJobs(id);
    expect(handling).toEqual({ tenantId: w.tenant.id, conversationId: id, type: 'status_changed', at: expect.any(String) });
    expect(Date.parse(handling!.at)).toBeGreaterThanOrEqual(before - 1000);

    // The transcript shows it, and the inbox heard of the message before the conversation's close.
    const transcript = (await h.app.inject({ method: 'GET', url: `/v1/conversations/${id}/messages`, headers: bearer(w.token('qc')) })).json();
    expect(transcript.items.at(-1)).toMatchObject({ direction: 'out', authorType: 'system', authorId: null, text: CLOSING, status: 'queued' });
    await waitFor(() => events.some((e) => e.type === 'conversation.updated' && (e.data as { id: string }).id === id), 'conversation.updated');
    const types = events.filter((e) => (e.data as { id?: string; conversationId?: string }).conversationId === id || (e.data as { id: string }).id === id).map((e) => e.type);
    expect(types).toEqual(['message.created', 'conversation.updated']);
    expect(events[0]).toMatchObject({ data: { authorType: 'system', text: CLOSING, conversation: { id, status: 'closed' } } });
  });

  it('fills the closing with the agent who held the conversation when a leader closes it', async () => {
    await h.app.inject({
      method: 'PATCH',
      url: '/v1/tenant/settings',
      headers: bearer(w.token('admin')),
      payload: { templates: { closing: 'Terima kasih, salam {agentName} dari {brand}. {closingPhrase}.' } },
    });
    const id = await w.agent1Conversation();
    await close('lead', id);
    expect((await systemMessages(id)).map((m) => m.text)).toEqual(['Terima kasih, salam agent1 dari Sapa. Selamat berakhir pekan.']);
    await h.app.inject({ method: 'PATCH', url: '/v1/tenant/settings', headers: bearer(w.token('admin')), payload: { templates: { closing: 'Terima kasih telah menghubungi {brand}. {closingPhrase}.' } } });
  });

  it('sends the closing text once when two closes race, and nothing when closing a closed conversation', async () => {
    const activeChat = async () => (await h.deps.db.selectFrom('agents').select('active_chat').where('user_id', '=', w.userId('agent1')).executeTakeFirstOrThrow()).active_chat;
    const id = await w.agent1Conversation();
    const held = await activeChat();
    const answers = await Promise.all([close('agent1', id), close('lead', id), close('admin', id)]);
    expect(answers.map((r) => [r.statusCode, r.json().status])).toEqual([
      [200, 'closed'],
      [200, 'closed'],
      [200, 'closed'],
    ]);
    expect(await systemMessages(id)).toHaveLength(1);
    const closings = await h.deps.db.selectFrom('assignments').select('action').where('conversation_id', '=', id).execute();
    expect(closings).toEqual([{ action: 'closed' }]);
    await close('agent1', id);
    expect(await systemMessages(id)).toHaveLength(1);
    expect(await activeChat()).toBe(held - 1);
  });

  it('still closes, without a closing text, on a channel that sends no text (a call)', async () => {
    const tg = await h.deps.db
      .insertInto('channels')
      .values({ tenant_id: w.tenant.id, type: 'voice', name: 'pbx', team_id: w.tenant.teamId, config: JSON.stringify({ provider: 'webhook' }) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = await seedConversation(h.deps.db, w.tenant.id, { channelId: tg.id, teamId: w.tenant.teamId, assigneeId: w.userId('agent1') });
    const res = await close('agent1', id);
    expect(res.json().status).toBe('closed');
    expect(await systemMessages(id)).toEqual([]);
    expect(await handlingJobs(id)).toEqual([{ tenantId: w.tenant.id, conversationId: id, type: 'status_changed', at: expect.any(String) }]);
  });

  it('tells the handling flow when a conversation is transferred', async () => {
    const toTeam = await w.agent1Conversation();
    await h.app.inject({ method: 'POST', url: `/v1/conversations/${toTeam}/transfer`, headers: bearer(w.token('agent1')), payload: { teamId: w.tenant.teams.tier2! } });
    expect(await handlingJobs(toTeam)).toEqual([{ tenantId: w.tenant.id, conversationId: toTeam, type: 'status_changed', at: expect.any(String) }]);
    expect(await systemMessages(toTeam)).toEqual([]);
  });
});
