import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DomainEvent } from '@sapa/contracts';
import { bearer, createHarness, type Harness } from './harness.js';
import { tenantSnapshot } from './seed.js';
import { waitFor } from './wait-for.js';
import { createWorld, type World } from './world.js';

/** An agent answers a particular message of the conversation; listings and events say which (MessageDto.replyToMessageId). */
describe('quoted replies', () => {
  let h: Harness;
  let w: World;
  const events: DomainEvent[] = [];
  let unsubscribe: () => Promise<void>;

  beforeAll(async () => {
    h = await createHarness();
    w = await createWorld(h.deps.db);
    unsubscribe = await h.deps.eventBus.subscribe((e) => events.push(e));
  });
  afterAll(async () => {
    await unsubscribe();
    await h.close();
  });

  const reply = (conversationId: string, payload: Record<string, unknown>) =>
    h.app.inject({ method: 'POST', url: `/v1/conversations/${conversationId}/messages`, headers: bearer(w.token('agent1')), payload });
  const list = async (conversationId: string) =>
    (await h.app.inject({ method: 'GET', url: `/v1/conversations/${conversationId}/messages`, headers: bearer(w.token('agent1')) })).json().items as Array<{
      id: string;
      text: string;
      replyToMessageId: string | null;
    }>;
  const customerMessageOf = async (conversationId: string) => (await list(conversationId))[0]!.id;

  it('stores the message a reply answers, lists it, and says it in message.created', async () => {
    const conversation = await w.agent1Conversation();
    const question = await customerMessageOf(conversation);
    const res = await reply(conversation, { text: 'Saldo sudah masuk, Pak.', replyToMessageId: question });
    expect(res.statusCode).toBe(201);
    const { id } = res.json();

    const row = await h.deps.db.selectFrom('messages').select('reply_to_message_id').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.reply_to_message_id).toBe(question);
    expect(await list(conversation)).toEqual([
      expect.objectContaining({ id: question, text: 'Halo', replyToMessageId: null }),
      expect.objectContaining({ id, text: 'Saldo sudah masuk, Pak.', replyToMessageId: question }),
    ]);
    const event = await waitFor(() => events.find((e) => e.type === 'message.created' && (e.data as { id: string }).id === id), 'message.created');
    expect(event.data).toMatchObject({ id, replyToMessageId: question });
  });

  it('may answer an earlier reply of Sapa’s side as well', async () => {
    const conversation = await w.agent1Conversation();
    const first = (await reply(conversation, { text: 'Nomor pesanan Anda?' })).json().id as string;
    const res = await reply(conversation, { text: 'Maksud saya nomor di email konfirmasi.', replyToMessageId: first });
    expect(res.statusCode).toBe(201);
    expect((await list(conversation)).at(-1)).toMatchObject({ replyToMessageId: first });
  });

  it('refuses a message of another conversation with 422 invalid_reply_target, changing nothing', async () => {
    const conversation = await w.agent1Conversation();
    const elsewhere = await customerMessageOf(await w.agent1Conversation());
    const before = await tenantSnapshot(h.deps.db, w.tenant.id);
    const res = await reply(conversation, { text: 'Salah alamat', replyToMessageId: elsewhere });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'invalid_reply_target', details: { replyToMessageId: elsewhere } });
    expect(await tenantSnapshot(h.deps.db, w.tenant.id)).toEqual(before);
  });
});
