import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { receivedAtOf, type InboundMessage } from '@sapa/contracts';
import { createDb } from '@sapa/db';
import { listMessages } from '@sapa/db/queries/conversation-views';
import { insertOutboundMessage } from '@sapa/db/queries/messages';
import { createApiChannel, createTenant, testEnv, type TestTenant } from '@sapa/test-support';
import { persistInbound, type PersistOutcome } from '../src/persist-inbound.js';

const db = createDb({ connectionString: testEnv().databaseUrl, max: 8 });
afterAll(() => db.destroy());

let tenant: TestTenant;
let channelId: string;
beforeAll(async () => {
  tenant = await createTenant(db);
  channelId = (await createApiChannel(db, tenant.id)).id;
});

const DAY_MS = 24 * 3600 * 1000;

function inbound(from: string, text: string, receivedAt: string, over: Partial<InboundMessage> = {}): InboundMessage {
  return { tenantId: tenant.id, channelId, channelType: 'api', externalMessageId: `m-${randomUUID()}`, from: { externalId: from }, text, attachments: [], receivedAt, ...over };
}

async function stored(m: InboundMessage): Promise<Extract<PersistOutcome, { kind: 'stored' }>> {
  const out = await persistInbound(db, m, async () => []);
  if (out.kind !== 'stored') throw new Error(`expected stored, got ${out.kind}`);
  return out;
}

/** The conversation's messages as the inbox lists them (GET /v1/conversations/{id}/messages). */
async function listed(conversationId: string): Promise<Array<string | null>> {
  return (await listMessages(db, tenant.id, conversationId, { limit: 50 })).map((m) => m.text);
}

const conversationRow = (id: string) => db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const createdAt = async (messageId: string) =>
  (await db.selectFrom('messages').select('created_at').where('id', '=', messageId).executeTakeFirstOrThrow()).created_at;
const dbNow = async () => (await sql<{ now: Date }>`SELECT clock_timestamp() AS now`.execute(db)).rows[0]!.now;

/** A time a little in the past, as an adapter stamps it; `+ms` later ones of the same customer. */
const at = (base: number, ms = 0) => new Date(base + ms).toISOString();

describe('a customer’s messages stored by the router out of the order they were sent', () => {
  it('opening a conversation: the later message stored first still lists after the earlier one', async () => {
    const t = Date.now() - 10_000;
    const later = await stored(inbound('c-open', 'Sudah saya transfer', at(t, 5)));
    expect(later.newConversation).toBe(true);
    const earlier = await stored(inbound('c-open', 'Halo', at(t)));
    expect(earlier.conversation.id).toBe(later.conversation.id);
    expect(await listed(later.conversation.id)).toEqual(['Halo', 'Sudah saya transfer']);
    expect(earlier.message.created_at.getTime()).toBe(t);
    expect(later.message.created_at.getTime()).toBe(t + 5);
  });

  it('joining an open conversation: the later message stored first still lists after the earlier one', async () => {
    const t = Date.now() - 10_000;
    const first = await stored(inbound('c-append', 'Halo', at(t - 1000)));
    await stored(inbound('c-append', 'Nomor pesanan 123', at(t, 5)));
    const earlier = await stored(inbound('c-append', 'Saldo belum masuk', at(t)));
    expect(earlier.newConversation).toBe(false);
    expect(await listed(first.conversation.id)).toEqual(['Halo', 'Saldo belum masuk', 'Nomor pesanan 123']);
  });

  it('an email reply threaded into its conversation: the later stored first still lists after the earlier one', async () => {
    const t = Date.now() - 10_000;
    const email = (from: string, text: string, receivedAt: string, hint?: string) =>
      inbound(from, text, receivedAt, { channelType: 'email', externalMessageId: `<${randomUUID()}@mail.test>`, ...(hint && { conversationHint: hint }) });
    const opened = await stored(email('budi@pelanggan.test', 'Pesanan belum sampai', at(t - 1000)));
    const later = await stored(email('istri.budi@pelanggan.test', 'Ini alamat lengkapnya', at(t, 5), opened.conversation.id));
    const earlier = await stored(email('istri.budi@pelanggan.test', 'Saya istrinya Budi', at(t), opened.conversation.id));
    expect([later.conversation.id, earlier.conversation.id]).toEqual([opened.conversation.id, opened.conversation.id]);
    expect(await listed(opened.conversation.id)).toEqual(['Pesanan belum sampai', 'Saya istrinya Budi', 'Ini alamat lengkapnya']);
  });

  it('two messages an adapter took in the same millisecond keep their order in the batch (receivedAtOf)', async () => {
    const t = new Date(Date.now() - 10_000);
    const opened = await stored(inbound('c-batch', 'Halo', at(t.getTime() - 1000)));
    await stored(inbound('c-batch', 'kedua', receivedAtOf(t, 1)));
    await stored(inbound('c-batch', 'pertama', receivedAtOf(t, 0)));
    await stored(inbound('c-batch', 'ketiga', receivedAtOf(t, 2)));
    expect(await listed(opened.conversation.id)).toEqual(['Halo', 'pertama', 'kedua', 'ketiga']);
  });

  it('lists each customer’s messages in order when two workers store them side by side', async () => {
    const t = Date.now() - 10_000;
    const contacts = Array.from({ length: 8 }, (_, i) => `c-side-${i}-${randomUUID().slice(0, 8)}`);
    // The later one starts first; whichever commits first, and whether each opens or joins the conversation.
    const pairs = await Promise.all(
      contacts.map((c) => Promise.all([stored(inbound(c, 'kedua', at(t, 5))), stored(inbound(c, 'pertama', at(t)))])),
    );
    for (const [later, earlier] of pairs) {
      expect(earlier.conversation.id).toBe(later.conversation.id);
      expect(await listed(later.conversation.id)).toEqual(['pertama', 'kedua']);
    }
  });
});

describe('the time a customer message is stored at', () => {
  it('is never ahead of the database: an adapter clock running fast is held to now()', async () => {
    const before = await dbNow();
    const out = await stored(inbound(`c-future-${randomUUID()}`, 'Halo', new Date(Date.now() + 3600_000).toISOString()));
    const after = await dbNow();
    const storedAt = await createdAt(out.message.id);
    expect(storedAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(storedAt.getTime()).toBeLessThanOrEqual(after.getTime());
  });

  it('is never more than a day back: a stale or garbage time cannot bury the message', async () => {
    const before = await dbNow();
    const out = await stored(inbound(`c-old-${randomUUID()}`, 'Halo', new Date(Date.now() - 3 * DAY_MS).toISOString()));
    const after = await dbNow();
    const storedAt = await createdAt(out.message.id);
    expect(storedAt.getTime()).toBeGreaterThanOrEqual(before.getTime() - DAY_MS);
    expect(storedAt.getTime()).toBeLessThanOrEqual(after.getTime() - DAY_MS);
  });

  it.each(['kemarin', '', '2026-13-45T00:00:00Z', '1969-12-31T23:59:59Z', '12/01/2026'])(
    'is the database’s now() when receivedAt %p is not a readable time (the job is not failed for it)',
    async (receivedAt) => {
      const before = await dbNow();
      const out = await stored(inbound(`c-bad-${randomUUID()}`, 'Halo', receivedAt));
      const after = await dbNow();
      const storedAt = await createdAt(out.message.id);
      expect(storedAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
      expect(storedAt.getTime()).toBeLessThanOrEqual(after.getTime());
    },
  );
});

describe('the conversation’s last message time', () => {
  it('never moves back when an earlier customer message is stored after a later one', async () => {
    const t = Date.now() - 10_000;
    const later = await stored(inbound('c-last', 'kedua', at(t, 5)));
    const earlier = await stored(inbound('c-last', 'pertama', at(t)));
    expect(earlier.conversation.last_message_at?.getTime()).toBe(t + 5);
    expect((await conversationRow(later.conversation.id)).last_message_at?.getTime()).toBe(t + 5);
  });

  it('stays at an agent’s reply written after the customer’s message that is stored late, which lists before the reply', async () => {
    const t = Date.now() - 10_000;
    const first = await stored(inbound('c-reply', 'Halo', at(t - 1000)));
    const reply = await insertOutboundMessage(db, tenant.id, { conversationId: first.conversation.id, channelId, authorType: 'agent', authorId: null, text: 'Ada yang bisa dibantu?', attachments: [] });
    const late = await stored(inbound('c-reply', 'Saldo belum masuk', at(t)));
    expect(late.conversation.last_message_at?.getTime()).toBe(reply.created_at.getTime());
    expect(await listed(first.conversation.id)).toEqual(['Halo', 'Saldo belum masuk', 'Ada yang bisa dibantu?']);
    // The inactivity clock hears the customer's word at its own time, before the agent's: it does not stop the clock
    // of the agent's later word (services/tickets clock-event.ts, `record`).
    expect(late.message.created_at.getTime()).toBeLessThan(reply.created_at.getTime());
  });
});
