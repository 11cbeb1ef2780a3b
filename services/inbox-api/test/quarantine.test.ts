import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { quarantineInbound } from '@sapa/db/queries/inbound-quarantine';
import { bearer, createHarness, type Harness } from './harness.js';
import { createWorld, type World } from './world.js';

/** What channels could not read is kept, and an admin can see it, take its bytes, and mark it looked at. */
describe('the inbound quarantine', () => {
  let h: Harness;
  let w: World;
  beforeAll(async () => {
    h = await createHarness();
    w = await createWorld(h.deps.db);
  });
  afterAll(() => h.close());

  const admin = () => bearer(w.token('admin'));

  it('lists open items newest first without their bytes, gives the bytes as received, and resolves each once', async () => {
    const raw = Buffer.from('From: pelanggan@contoh.test\r\nContent-Type: multipart/mixed; boundary=\r\n\r\n\u0000\u00ff', 'latin1');
    const id = await quarantineInbound(h.deps.db, { tenantId: w.tenant.id, channelId: w.channelId, source: 'email', reason: 'no boundary', payload: raw, details: { mailbox: 'INBOX', uid: 42 } });

    const open = await h.app.inject({ method: 'GET', url: '/v1/quarantine', headers: admin() });
    expect(open.statusCode).toBe(200);
    expect(open.json().items[0]).toEqual({ id, channelId: w.channelId, source: 'email', reason: 'no boundary', details: { mailbox: 'INBOX', uid: 42 }, size: raw.length, createdAt: expect.any(String), resolvedAt: null });

    const payload = await h.app.inject({ method: 'GET', url: `/v1/quarantine/${id}/payload`, headers: admin() });
    expect([payload.statusCode, payload.headers['content-type']]).toEqual([200, 'application/octet-stream']);
    expect(payload.rawPayload.equals(raw)).toBe(true);

    const resolved = await h.app.inject({ method: 'POST', url: `/v1/quarantine/${id}/resolve`, headers: admin() });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json().resolvedAt).toEqual(expect.any(String));
    const again = await h.app.inject({ method: 'POST', url: `/v1/quarantine/${id}/resolve`, headers: admin() });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'quarantined_already_resolved']);

    const openIds = (await h.app.inject({ method: 'GET', url: '/v1/quarantine', headers: admin() })).json().items.map((i: { id: string }) => i.id);
    expect(openIds).not.toContain(id);
    const resolvedIds = (await h.app.inject({ method: 'GET', url: '/v1/quarantine?state=resolved', headers: admin() })).json().items.map((i: { id: string }) => i.id);
    expect(resolvedIds).toContain(id);
  });

  it('refuses an unknown state with 400', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/v1/quarantine?state=lost', headers: admin() });
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'validation_failed']);
  });
});
