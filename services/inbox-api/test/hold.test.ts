import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { listAssignments } from '@sapa/db/queries/assignments';
import { bearer, createHarness, type Harness } from './harness.js';
import { createWorld, type UserName, type World } from './world.js';

describe('putting a conversation on hold', () => {
  let h: Harness;
  let w: World;
  const post = (user: UserName, id: string, action: 'hold' | 'resume') =>
    h.app.inject({ method: 'POST', url: `/v1/conversations/${id}/${action}`, headers: bearer(w.token(user)) });
  const handlingEvents = async (conversationId: string) =>
    (await h.deps.producer.queue('handling').getJobs(['waiting', 'delayed', 'completed', 'active']))
      .map((j) => j.data as { conversationId: string; type: string })
      .filter((e) => e.conversationId === conversationId);

  beforeAll(async () => {
    h = await createHarness();
    w = await createWorld(h.deps.db);
  });
  afterAll(() => h.close());

  it('stops the clock while the agent checks something, and starts it again on resume', async () => {
    const id = await w.agent1Conversation();
    const held = await post('agent1', id, 'hold');
    expect(held.statusCode).toBe(200);
    expect(held.json()).toMatchObject({ id, status: 'on_hold', assigneeId: w.userId('agent1') });
    expect((await post('agent1', id, 'resume')).json()).toMatchObject({ status: 'assigned', assigneeId: w.userId('agent1') });
    // The ticket service hears of both changes (it cancels the clock on hold and restarts it on resume).
    expect((await handlingEvents(id)).map((e) => e.type)).toEqual(['status_changed', 'status_changed']);
    const history = await listAssignments(h.deps.db, w.tenant.id, id);
    expect(history.map((a) => a.action).slice(-2)).toEqual(['held', 'resumed']);
  });

  it('keeps the agent’s capacity taken while on hold', async () => {
    const id = await w.agent1Conversation();
    const load = async () =>
      (await h.deps.db.selectFrom('agents').select('active_chat').where('user_id', '=', w.userId('agent1')).executeTakeFirstOrThrow()).active_chat;
    const before = await load();
    await post('agent1', id, 'hold');
    expect(await load()).toBe(before);
  });

  it('changes nothing when asked for the state it is already in', async () => {
    const id = await w.agent1Conversation();
    expect((await post('agent1', id, 'resume')).json().status).toBe('assigned');
    expect(await handlingEvents(id)).toEqual([]);
  });

  it.each([
    ['a queued conversation', 'queued', 409, 'conversation_not_assigned'],
    ['a closed conversation', 'closed', 409, 'conversation_closed'],
  ])('refuses %s', async (_name, kind, status, code) => {
    const id = kind === 'queued' ? await w.queuedConversation() : await w.agent1Conversation();
    if (kind === 'closed') await h.app.inject({ method: 'POST', url: `/v1/conversations/${id}/close`, headers: bearer(w.token('agent1')), payload: {} });
    const res = await post('lead', id, 'hold');
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
  });
});
