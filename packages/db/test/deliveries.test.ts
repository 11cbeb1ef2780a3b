import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createApiChannel, createTenant, testEnv, type TestTenant } from '@sapa/test-support';
import { createDb, type DB, type Kysely } from '../src/index.js';
import {
  InvalidCursorError,
  createDelivery,
  findDelivery,
  listDeliveries,
  markDeliveryFailed,
  markDeliverySent,
  prepareReplay,
} from '../src/queries/deliveries.js';

let db: Kysely<DB>;
let tenant: TestTenant;
let other: TestTenant;
let channelId: string;

beforeAll(async () => {
  db = createDb({ connectionString: testEnv().databaseUrl, max: 2 });
  tenant = await createTenant(db, {});
  other = await createTenant(db, {});
  channelId = (await createApiChannel(db, tenant.id)).id;
});

afterAll(async () => {
  await db.destroy();
});

/** An outbound message in a fresh conversation and its delivery, as the inbox API writes them. */
async function newDelivery(t: TestTenant = tenant, channel = channelId) {
  const contact = await db.insertInto('contacts').values({ tenant_id: t.id }).returning('id').executeTakeFirstOrThrow();
  const conversation = await db
    .insertInto('conversations')
    .values({ tenant_id: t.id, channel_id: channel, contact_id: contact.id, kind: 'chat', team_id: t.teamId })
    .returning('id')
    .executeTakeFirstOrThrow();
  const message = await db
    .insertInto('messages')
    .values({ tenant_id: t.id, conversation_id: conversation.id, channel_id: channel, direction: 'out', author_type: 'system', text: 'x', status: 'queued' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return createDelivery(db, t.id, { messageId: message.id, conversationId: conversation.id, channelId: channel });
}

const messageStatus = async (messageId: string) =>
  (await db.selectFrom('messages').select('status').where('id', '=', messageId).executeTakeFirstOrThrow()).status;

describe('deliveries queries', () => {
  it('creates a pending delivery with no attempts and finds it only within its tenant', async () => {
    const delivery = await newDelivery();
    expect(delivery).toMatchObject({ status: 'pending', attempts: 0, replays: 0, last_error: null, tenant_id: tenant.id });
    expect(await findDelivery(db, tenant.id, delivery.id)).toEqual(delivery);
    expect(await findDelivery(db, other.id, delivery.id)).toBeUndefined();
  });

  it('marks delivery and message together, and only from pending', async () => {
    const delivery = await newDelivery();
    expect(await markDeliverySent(db, tenant.id, delivery.id)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(await messageStatus(delivery.message_id)).toBe('sent');
    expect(await markDeliverySent(db, tenant.id, delivery.id)).toBeUndefined();
    expect(await markDeliveryFailed(db, tenant.id, delivery.id, 'late')).toBeUndefined();
    expect(await messageStatus(delivery.message_id)).toBe('sent');
  });

  it('prepares a replay only of a failed delivery: pending, attempts 0, replays + 1, message queued', async () => {
    const delivery = await newDelivery();
    expect(await prepareReplay(db, tenant.id, delivery.id)).toBeUndefined();
    await markDeliveryFailed(db, tenant.id, delivery.id, 'callback answered 500');
    expect(await messageStatus(delivery.message_id)).toBe('failed');

    expect(await prepareReplay(db, other.id, delivery.id)).toBeUndefined();
    const replayed = await prepareReplay(db, tenant.id, delivery.id);

    expect(replayed).toMatchObject({ id: delivery.id, status: 'pending', attempts: 0, replays: 1, last_error: null });
    expect(await messageStatus(delivery.message_id)).toBe('queued');
    expect(await prepareReplay(db, tenant.id, delivery.id)).toBeUndefined();
  });

  it('lists newest first, page by page with an opaque cursor, filtered by status and walled by tenant', async () => {
    const fresh = await createTenant(db, {});
    const channel = (await createApiChannel(db, fresh.id)).id;
    const made = [];
    for (let i = 0; i < 5; i += 1) made.push(await newDelivery(fresh, channel));
    await markDeliveryFailed(db, fresh.id, made[1]!.id, 'x');
    await markDeliveryFailed(db, fresh.id, made[3]!.id, 'x');

    const first = await listDeliveries(db, fresh.id, { limit: 2 });
    const second = await listDeliveries(db, fresh.id, { limit: 2, cursor: first.nextCursor! });
    const third = await listDeliveries(db, fresh.id, { limit: 2, cursor: second.nextCursor! });

    const newestFirst = [...made].reverse().map((d) => d.id);
    expect([...first.items, ...second.items, ...third.items].map((d) => d.id)).toEqual(newestFirst);
    expect(third.nextCursor).toBeNull();
    expect(first.items[0]).not.toHaveProperty('cursor_at');
    expect((await listDeliveries(db, fresh.id, { status: 'failed', limit: 10 })).items.map((d) => d.id)).toEqual([made[3]!.id, made[1]!.id]);
    expect((await listDeliveries(db, other.id, { limit: 10 })).items).toEqual([]);
  });

  it.each(['garbage', Buffer.from('["2024-01-01", "x"]').toString('base64url')])('refuses a cursor it did not make (%j)', async (cursor) => {
    await expect(listDeliveries(db, tenant.id, { limit: 1, cursor })).rejects.toBeInstanceOf(InvalidCursorError);
  });
});
