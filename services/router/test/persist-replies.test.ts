import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { InboundMessage } from '@sapa/contracts';
import { createDb, toMessageDto } from '@sapa/db';
import { closeConversation } from '@sapa/db/queries/conversation-commands';
import { createApiChannel, createTenant, testEnv, type TestTenant } from '@sapa/test-support';
import { persistInbound, type PersistOutcome } from '../src/persist-inbound.js';

const db = createDb({ connectionString: testEnv().databaseUrl, max: 5 });
afterAll(() => db.destroy());

let tenant: TestTenant;
let channelId: string;
beforeAll(async () => {
  tenant = await createTenant(db);
  channelId = (await createApiChannel(db, tenant.id)).id;
});

function inbound(from: string, over: Partial<InboundMessage> = {}): InboundMessage {
  return {
    tenantId: tenant.id,
    channelId,
    channelType: 'api',
    externalMessageId: `m-${randomUUID()}`,
    from: { externalId: from },
    text: 'Iya, yang itu',
    attachments: [],
    receivedAt: new Date().toISOString(),
    ...over,
  };
}

async function stored(m: InboundMessage): Promise<Extract<PersistOutcome, { kind: 'stored' }>> {
  const out = await persistInbound(db, m, async () => []);
  if (out.kind !== 'stored') throw new Error(`expected stored, got ${out.kind}`);
  return out;
}

const replyToOf = async (id: string) =>
  (await db.selectFrom('messages').select('reply_to_message_id').where('id', '=', id).executeTakeFirstOrThrow()).reply_to_message_id;

/** An agent's reply the channel took, recorded under the channel's id as markDeliverySent does. */
async function sentByAgent(conversationId: string, externalId: string | null): Promise<string> {
  const row = await db
    .insertInto('messages')
    .values({ tenant_id: tenant.id, conversation_id: conversationId, channel_id: channelId, direction: 'out', author_type: 'agent', text: 'Nomor pesanan Anda?', status: 'sent', external_id: externalId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

describe('a quoted reply from the customer', () => {
  it('is linked to the customer’s earlier message it quotes, in the stored row and in what the event shows', async () => {
    const first = await stored(inbound('c-quote-own'));
    const answer = await stored(inbound('c-quote-own', { replyToExternalId: first.message.external_id! }));
    expect(answer.message.reply_to_message_id).toBe(first.message.id);
    expect(await replyToOf(answer.message.id)).toBe(first.message.id);
    expect(toMessageDto(answer.message).replyToMessageId).toBe(first.message.id);
  });

  it('is linked to an agent’s message by the id the channel gave it when it took it', async () => {
    const first = await stored(inbound('c-quote-agent'));
    const agentMessage = await sentByAgent(first.conversation.id, `out-${randomUUID()}`);
    const externalId = (await db.selectFrom('messages').select('external_id').where('id', '=', agentMessage).executeTakeFirstOrThrow()).external_id!;
    const answer = await stored(inbound('c-quote-agent', { replyToExternalId: externalId }));
    expect(await replyToOf(answer.message.id)).toBe(agentMessage);
  });

  it('is linked to an agent’s message the channel has no id for by Sapa’s own id (the API channel’s callback messageId)', async () => {
    const first = await stored(inbound('c-quote-callback'));
    const agentMessage = await sentByAgent(first.conversation.id, null);
    const answer = await stored(inbound('c-quote-callback', { replyToExternalId: agentMessage }));
    expect(await replyToOf(answer.message.id)).toBe(agentMessage);
  });

  it('stays unlinked when the quoted message is unknown to Sapa, keeping its words as sent', async () => {
    await stored(inbound('c-quote-unknown'));
    const answer = await stored(inbound('c-quote-unknown', { replyToExternalId: 'older-than-sapa', text: '> Pesanan dikirim\n\nKapan sampai?' }));
    expect(answer.message.reply_to_message_id).toBeNull();
    expect(await replyToOf(answer.message.id)).toBeNull();
    expect(answer.message.text).toBe('> Pesanan dikirim\n\nKapan sampai?');
    expect(toMessageDto(answer.message).replyToMessageId).toBeNull();
  });

  it('stays unlinked when the quoted message belongs to an earlier, closed conversation', async () => {
    const old = await stored(inbound('c-quote-closed'));
    await closeConversation(db, tenant.id, old.conversation.id, { actorId: null, reason: 'resolved' });
    const answer = await stored(inbound('c-quote-closed', { replyToExternalId: old.message.external_id! }));
    expect(answer.conversation.id).not.toBe(old.conversation.id);
    expect(answer.message.reply_to_message_id).toBeNull();
  });

  it('does not take a message of another channel with the same id as the quoted one', async () => {
    const otherChannel = (await createApiChannel(db, tenant.id)).id;
    const elsewhere = await persistInbound(db, { ...inbound('c-quote-elsewhere'), channelId: otherChannel, externalMessageId: 'shared-id' }, async () => []);
    expect(elsewhere.kind).toBe('stored');
    await stored(inbound('c-quote-elsewhere'));
    const answer = await stored(inbound('c-quote-elsewhere', { replyToExternalId: 'shared-id' }));
    expect(answer.message.reply_to_message_id).toBeNull();
  });

  it('is stored once when the channel delivers it twice, its link kept', async () => {
    const first = await stored(inbound('c-quote-twice'));
    const m = inbound('c-quote-twice', { replyToExternalId: first.message.external_id! });
    const answer = await stored(m);
    expect((await persistInbound(db, m, async () => [])).kind).toBe('duplicate');
    expect(await replyToOf(answer.message.id)).toBe(first.message.id);
  });
});
