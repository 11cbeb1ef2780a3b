import { afterAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createDb } from '@sapa/db';
import { openInbound } from '@sapa/db/queries/messages';
import { appendToConversation } from '@sapa/db/queries/threaded-inbound';
import { createApiChannel, createTenant, testEnv } from '@sapa/test-support';

const db = createDb({ connectionString: testEnv().databaseUrl, max: 4 });
afterAll(() => db.destroy());

/** sapa_append_inbound_to (migration 0011): a threaded reply joins its thread's conversation only while it is open. */
describe('appendToConversation (InboundMessage.conversationHint)', () => {
  it('stores a message from another sender in the open conversation, once, and refuses a closed or foreign one', async () => {
    const tenant = await createTenant(db);
    const { id: channelId } = await createApiChannel(db, tenant.id);
    const { id: otherChannel } = await createApiChannel(db, tenant.id);
    const opened = await openInbound(db, tenant.id, {
      channelId, fromExternalId: 'budi@pelanggan.test', externalId: `<${randomUUID()}@p>`, text: 'Halo', attachments: [], sentAt: null, receivedAt: null, kind: 'email', name: 'Budi', phone: null, email: null,
    });
    if (!opened || opened === 'duplicate') throw new Error('first message not stored');
    const conversationId = opened.conversation.id;
    const reply = { channelId, conversationId, externalId: `<${randomUUID()}@p>`, text: 'Dari istri', attachments: [], sentAt: null, receivedAt: null };

    const joined = await appendToConversation(db, tenant.id, reply);
    expect(joined?.conversation.id).toBe(conversationId);
    expect(joined?.contact).toEqual({ id: opened.contact.id, name: 'Budi' });
    expect(joined?.message?.text).toBe('Dari istri');
    expect((await appendToConversation(db, tenant.id, reply))?.message).toBeUndefined();

    expect(await appendToConversation(db, tenant.id, { ...reply, channelId: otherChannel, externalId: `<${randomUUID()}@p>` })).toBeUndefined();
    const otherTenant = await createTenant(db);
    expect(await appendToConversation(db, otherTenant.id, { ...reply, externalId: `<${randomUUID()}@p>` })).toBeUndefined();
    await db.updateTable('conversations').set({ status: 'closed', closed_at: new Date() }).where('id', '=', conversationId).execute();
    expect(await appendToConversation(db, tenant.id, { ...reply, externalId: `<${randomUUID()}@p>` })).toBeUndefined();
    const stored = await db.selectFrom('messages').select('text').where('conversation_id', '=', conversationId).orderBy('created_at').execute();
    expect(stored.map((m) => m.text)).toEqual(['Halo', 'Dari istri']);
  });
});
