import { afterAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { createDb } from '@sapa/db';
import { listMessages } from '@sapa/db/queries/conversation-views';
import { openInbound } from '@sapa/db/queries/messages';
import { createApiChannel, createTenant, testEnv } from '@sapa/test-support';

const db = createDb({ connectionString: testEnv().databaseUrl, max: 4 });
afterAll(() => db.destroy());

/** Migration 0018: the inbound functions store a customer message at its adapter's accept time (`p_received_at`). */
describe('the inbound functions and the customer’s order', () => {
  it('sapa_open_inbound meeting the open conversation stores an earlier message before a later one stored first', async () => {
    const tenant = await createTenant(db);
    const { id: channelId } = await createApiChannel(db, tenant.id);
    const from = `order-${randomUUID()}`;
    const t = Date.now() - 10_000;
    const message = (text: string, receivedAt: string) => ({
      channelId, fromExternalId: from, externalId: randomUUID(), text, attachments: [], sentAt: null, receivedAt, kind: 'chat' as const, name: null, phone: null, email: null,
    });
    const later = await openInbound(db, tenant.id, message('kedua', new Date(t + 5).toISOString()));
    const earlier = await openInbound(db, tenant.id, message('pertama', new Date(t).toISOString()));
    if (!later || later === 'duplicate' || !earlier || earlier === 'duplicate') throw new Error('not stored');
    expect(earlier.newConversation).toBe(false);
    expect(earlier.conversation.id).toBe(later.conversation.id);
    const listed = await listMessages(db, tenant.id, later.conversation.id, { limit: 10 });
    expect(listed.map((m) => m.text)).toEqual(['pertama', 'kedua']);
    expect(earlier.conversation.last_message_at?.getTime()).toBe(t + 5);
  });

  it('exist in one version each, so no caller can reach an older one', async () => {
    const { rows } = await sql<{ proname: string; versions: number }>`
      SELECT proname, count(*)::int AS versions FROM pg_proc
       WHERE proname IN ('sapa_append_inbound', 'sapa_open_inbound', 'sapa_append_inbound_to') GROUP BY proname ORDER BY proname`.execute(db);
    expect(rows).toEqual([
      { proname: 'sapa_append_inbound', versions: 1 },
      { proname: 'sapa_append_inbound_to', versions: 1 },
      { proname: 'sapa_open_inbound', versions: 1 },
    ]);
  });

  it('still takes a call without the accept time (a router of the previous release during an upgrade): stored at now()', async () => {
    const tenant = await createTenant(db);
    const { id: channelId } = await createApiChannel(db, tenant.id);
    const from = `old-router-${randomUUID()}`;
    const { rows: opened } = await sql<{ o_conversation: { id: string }; o_message_created_at: Date }>`
      SELECT * FROM sapa_open_inbound(${tenant.id}, ${channelId}, 'chat', ${from}, NULL, NULL, NULL, ${randomUUID()}, 'Halo', '[]'::jsonb, NULL)`.execute(db);
    const { rows: appended } = await sql<{ o_message_created_at: Date }>`
      SELECT * FROM sapa_append_inbound(${tenant.id}, ${channelId}, ${from}, ${randomUUID()}, 'Lagi', '[]'::jsonb, NULL)`.execute(db);
    const { rows: threaded } = await sql<{ o_message_created_at: Date }>`
      SELECT * FROM sapa_append_inbound_to(${tenant.id}, ${channelId}, ${opened[0]!.o_conversation.id}, ${randomUUID()}, 'Dari istri', '[]'::jsonb, NULL)`.execute(db);
    const { rows: now } = await sql<{ now: Date }>`SELECT clock_timestamp() AS now`.execute(db);
    for (const row of [opened[0]!, appended[0]!, threaded[0]!]) {
      expect(row.o_message_created_at.getTime()).toBeGreaterThan(now[0]!.now.getTime() - 60_000);
      expect(row.o_message_created_at.getTime()).toBeLessThanOrEqual(now[0]!.now.getTime());
    }
  });
});
