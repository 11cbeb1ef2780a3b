import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { OriginateRequest } from '@sapa/contracts';
import { createTenant, type TestTenant } from '@sapa/test-support';
import { bearer, createHarness, type Harness } from './harness.js';

/** The calls of a voice conversation, and click-to-call, through the inbox API (issue 8 item 3, outbound calls). */
describe('calls of a conversation', () => {
  let h: Harness;
  let t: TestTenant;
  let ami: string;
  let webhook: string;
  beforeAll(async () => {
    h = await createHarness();
    t = await createTenant(h.deps.db);
    ami = await channel({ provider: 'asterisk_ami', ami: { host: 'pbx.internal', port: 5038, user: 'sapa' } });
    webhook = await channel({ provider: 'webhook' });
    await h.deps.db.updateTable('agents').set({ extension: '201' }).where('user_id', '=', t.users.agent1!.id).execute();
  });
  afterAll(async () => {
    await h.deps.producer.queue('voice.originate').obliterate({ force: true });
    await h.close();
  });

  async function channel(config: Record<string, unknown>): Promise<string> {
    const row = await h.deps.db
      .insertInto('channels')
      .values({ tenant_id: t.id, type: 'voice', name: 'PBX', team_id: t.teamId, config: JSON.stringify(config) })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** A voice conversation of a customer who called from `number`, held by `assignee` (or waiting). */
  async function voiceConversation(channelId: string, o: { number?: string; phone?: string; assignee?: string | null; status?: 'assigned' | 'queued' | 'closed' } = {}) {
    const contact = await h.deps.db.insertInto('contacts').values({ tenant_id: t.id, name: 'Siti Aminah', phone: o.phone ?? null }).returning('id').executeTakeFirstOrThrow();
    await h.deps.db.insertInto('contact_identities').values({ tenant_id: t.id, contact_id: contact.id, channel_id: channelId, external_id: o.number ?? newNumber() }).execute();
    const assignee = o.assignee === undefined ? t.users.agent1!.id : o.assignee;
    const conv = await h.deps.db
      .insertInto('conversations')
      .values({ tenant_id: t.id, channel_id: channelId, contact_id: contact.id, team_id: t.teamId, kind: 'voice', status: o.status ?? (assignee ? 'assigned' : 'queued'), assignee_id: assignee })
      .returning('id')
      .executeTakeFirstOrThrow();
    return conv.id;
  }

  const newNumber = () => `+628${String(randomInt(1e9)).padStart(10, '0')}`;
  /** A withheld caller id: not a number (one identity per test, as each test's customer is its own). */
  const withheld = () => `anonymous-${randomInt(1e9)}`;
  const call = (conversationId: string, as = 'agent1') => h.app.inject({ method: 'POST', url: `/v1/conversations/${conversationId}/call`, headers: bearer(t.users[as]!.token) });
  const originateJobs = async (conversationId: string) =>
    (await h.deps.producer.queue('voice.originate').getJobs(['waiting', 'delayed', 'active', 'completed'])).map((j) => j.data as OriginateRequest).filter((d) => d.conversationId === conversationId);

  it('lists each call with its direction, and the conversation’s callback task with its attempts and the call that did it', async () => {
    const conv = await voiceConversation(ami);
    const [missed, out] = await h.deps.db
      .insertInto('voice_calls')
      .values([
        { tenant_id: t.id, channel_id: ami, call_id: 'in-1', conversation_id: conv, status: 'missed', caller: '+6281234567890', missed_reason: 'abandoned', callback: true, created_at: new Date('2026-03-02T03:00:00Z') },
        { tenant_id: t.id, channel_id: ami, call_id: 'out-1', conversation_id: conv, status: 'answered', direction: 'outbound', caller: '+6281234567890', agent_extension: '201', agent_id: t.users.agent1!.id, created_at: new Date('2026-03-02T03:10:00Z') },
      ])
      .returning('id')
      .execute();
    await h.deps.db
      .insertInto('voice_callbacks')
      .values({ tenant_id: t.id, conversation_id: conv, status: 'done', attempts: 1, last_attempt_at: new Date('2026-03-02T03:05:00Z'), done_at: new Date('2026-03-02T03:10:09Z'), done_by_call: out!.id })
      .execute();
    const res = await h.app.inject({ method: 'GET', url: `/v1/conversations/${conv}/calls`, headers: bearer(t.users.agent1!.token) });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items.map((c: { id: string; direction: string; status: string; callback: boolean }) => [c.id, c.direction, c.status, c.callback])).toEqual([
      [missed!.id, 'inbound', 'missed', true],
      [out!.id, 'outbound', 'answered', false],
    ]);
    expect(body.callbackTask).toMatchObject({ status: 'done', attempts: 1, lastAttemptAt: '2026-03-02T03:05:00.000Z', doneAt: '2026-03-02T03:10:09.000Z', doneByCallId: out!.id });
  });

  it('closes the open callback task when the agent closes its conversation by hand, and lists it closed', async () => {
    const conv = await voiceConversation(ami);
    await h.deps.db.insertInto('voice_callbacks').values({ tenant_id: t.id, conversation_id: conv }).execute();
    const closed = await h.app.inject({ method: 'POST', url: `/v1/conversations/${conv}/close`, headers: bearer(t.users.agent1!.token), payload: { reason: 'resolved' } });
    expect(closed.statusCode).toBe(200);
    const row = await h.deps.db.selectFrom('voice_callbacks').selectAll().where('conversation_id', '=', conv).executeTakeFirstOrThrow();
    const { closed_at } = await h.deps.db.selectFrom('conversations').select('closed_at').where('id', '=', conv).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'closed', closed_by: t.users.agent1!.id, closed_at, done_at: null });
    const res = await h.app.inject({ method: 'GET', url: `/v1/conversations/${conv}/calls`, headers: bearer(t.users.agent1!.token) });
    expect(res.json().callbackTask).toMatchObject({ id: row.id, status: 'closed', doneAt: null, doneByCallId: null });
  });

  it('shows no callback task when no missed call asked for one', async () => {
    const res = await h.app.inject({ method: 'GET', url: `/v1/conversations/${await voiceConversation(ami)}/calls`, headers: bearer(t.users.agent1!.token) });
    expect(res.json()).toEqual({ items: [], callbackTask: null });
  });

  it('click-to-call: 202, and queue voice.originate asks the PBX to ring the agent’s extension, then the number the customer called from', async () => {
    const conv = await voiceConversation(ami, { number: '081298765432' }); // as a local PBX shows it
    const res = await call(conv);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ status: 'dialling', extension: '201', number: '081298765432' });
    expect(await originateJobs(conv)).toEqual([
      { tenantId: t.id, channelId: ami, conversationId: conv, agentId: t.users.agent1!.id, extension: '201', number: '081298765432', customerName: 'Siti Aminah', requestedAt: expect.any(String) },
    ]);
  });

  it('dials the contact’s phone when the customer called from a withheld number', async () => {
    const conv = await voiceConversation(ami, { number: withheld(), phone: '+6221555123' });
    expect((await call(conv)).json()).toMatchObject({ number: '+6221555123' });
  });

  it.each([
    ['a webhook-only voice channel', 409, 'channel_cannot_call', async () => voiceConversation(webhook), 'agent1'],
    ['an agent with no extension', 409, 'no_extension', async () => voiceConversation(ami, { assignee: t.users.agent2!.id }), 'agent2'],
    ['a customer with no number to dial', 409, 'no_number_to_call', async () => voiceConversation(ami, { number: withheld() }), 'agent1'],
    ['a conversation waiting in the queue', 409, 'conversation_not_assigned', async () => voiceConversation(ami, { assignee: null }), 'agent1'],
    ['a closed conversation', 409, 'conversation_closed', async () => voiceConversation(ami, { status: 'closed' }), 'agent1'],
    ['a conversation another agent holds, asked by its team leader', 403, 'forbidden', async () => voiceConversation(ami), 'lead'],
  ] as const)('refuses %s with %i %s and asks the PBX nothing', async (_case, status, code, make, as) => {
    const conv = await make();
    const res = await call(conv, as);
    expect([res.statusCode, res.json().error.code]).toEqual([status, code]);
    expect(await originateJobs(conv)).toEqual([]);
  });
});
