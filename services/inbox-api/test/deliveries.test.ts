import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, createHarness, type Harness } from './harness.js';
import { createWorld, type World } from './world.js';

describe('deliveries (dead-letter list and replay)', () => {
  let h: Harness;
  let w: World;
  beforeAll(async () => {
    h = await createHarness();
    w = await createWorld(h.deps.db);
  });
  afterAll(() => h.close());

  const admin = () => bearer(w.token('admin'));

  it('lists failed deliveries to admins, newest first, a page at a time', async () => {
    const ids = [await w.failedDelivery(), await w.failedDelivery(), await w.failedDelivery()];
    const first = (await h.app.inject({ method: 'GET', url: '/v1/deliveries?status=failed&limit=2', headers: admin() })).json();
    expect(first.items.map((d: { id: string }) => d.id)).toEqual([ids[2], ids[1]]);
    expect(first.items[0]).toMatchObject({ status: 'failed', attempts: 5, lastError: 'callback answered 503', channelId: w.channelId });
    const second = (await h.app.inject({ method: 'GET', url: `/v1/deliveries?status=failed&limit=2&cursor=${first.nextCursor}`, headers: admin() })).json();
    expect(second.items.map((d: { id: string }) => d.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();
  });

  it('replays a failed delivery: pending again, message queued, a fresh outbound.api job, audit-logged', async () => {
    const id = await w.failedDelivery();
    const res = await h.app.inject({ method: 'POST', url: `/v1/deliveries/${id}/retry`, headers: admin() });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ id, status: 'pending', attempts: 0, lastError: null });

    const row = await h.deps.db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.replays).toBe(1);
    const message = await h.deps.db.selectFrom('messages').select('status').where('id', '=', row.message_id).executeTakeFirstOrThrow();
    expect(message.status).toBe('queued');
    const job = await h.deps.producer.queue('outbound.api').getJob(`out.${id}.1`);
    expect(job?.data).toEqual({ tenantId: w.tenant.id, deliveryId: id, messageId: row.message_id, replay: 1 });

    const audit = await h.deps.db.selectFrom('audit_log').selectAll().where('target_id', '=', id).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ tenant_id: w.tenant.id, action: 'delivery.replayed', actor_id: w.userId('admin'), details: { replay: 1 } });

    // Not failed any more: a second replay is refused until it fails again.
    const again = await h.app.inject({ method: 'POST', url: `/v1/deliveries/${id}/retry`, headers: admin() });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'delivery_not_failed']);
  });
});
