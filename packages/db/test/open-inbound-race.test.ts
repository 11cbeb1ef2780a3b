import { afterAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createDb } from '@sapa/db';
import { closeLocked } from '@sapa/db/queries/conversation-commands';
import { lockConversation } from '@sapa/db/queries/conversations';
import { openInbound } from '@sapa/db/queries/messages';
import { createApiChannel, createTenant, testEnv } from '@sapa/test-support';

const db = createDb({ connectionString: testEnv().databaseUrl, max: 4 });
afterAll(() => db.destroy());

/**
 * sapa_open_inbound (migration 0008's version) when the open conversation it collides with is being closed at that
 * instant: it waits for the close, then opens a new conversation for the message instead of failing (the router's
 * property test found the old version writing the message into nothing).
 */
describe('sapa_open_inbound against a close in flight', () => {
  it('opens a new conversation once the one it met is closed', async () => {
    const tenant = await createTenant(db);
    const { id: channelId } = await createApiChannel(db, tenant.id);
    const from = `race-${randomUUID()}`;
    const message = (text: string) => ({ channelId, fromExternalId: from, externalId: randomUUID(), text, attachments: [], sentAt: null, receivedAt: null, kind: 'chat' as const, name: 'Rina', phone: null, email: null });
    const first = await openInbound(db, tenant.id, message('Halo'));
    if (!first || first === 'duplicate') throw new Error('first message not stored');

    // A close holds the conversation's row while the customer's next message arrives through the open path.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const closing = db.transaction().execute(async (trx) => {
      const conv = await lockConversation(trx, tenant.id, first.conversation.id);
      locked();
      await held;
      await closeLocked(trx, tenant.id, conv!, { actorId: null, reason: 'resolved' });
    });
    await lockTaken;
    const second = openInbound(db, tenant.id, message('Masih ada pertanyaan'));
    await new Promise((r) => setTimeout(r, 200));
    release();
    await closing;

    const opened = await second;
    if (!opened || opened === 'duplicate') throw new Error('second message not stored');
    expect(opened.newConversation).toBe(true);
    expect(opened.conversation.id).not.toBe(first.conversation.id);
    expect(opened.message.conversation_id).toBe(opened.conversation.id);
  });
});
