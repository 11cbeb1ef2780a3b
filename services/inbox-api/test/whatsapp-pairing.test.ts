import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DomainEvent } from '@sapa/contracts';
import { claimWhatsappSession, saveWhatsappCreds, setWhatsappPairing, writeWhatsappKeys } from '@sapa/db/queries/whatsapp-sessions';
import { createTenant, type TestTenant } from '@sapa/test-support';
import { bearer, createHarness, type Harness } from './harness.js';
import { waitFor } from './wait-for.js';

/** api-contract.md §Channel types, `whatsapp_baileys`: creating the channel starts pairing; the route shows it. */
describe('a WhatsApp (Baileys) channel', () => {
  let h: Harness;
  let t: TestTenant;
  beforeAll(async () => {
    h = await createHarness();
    t = await createTenant(h.deps.db);
  });
  afterAll(async () => {
    await h.close();
  });

  const create = (config: Record<string, unknown>, token = t.users.admin!.token) =>
    h.app.inject({ method: 'POST', url: '/v1/channels', headers: bearer(token), payload: { type: 'whatsapp_baileys', name: 'WA Toko', config } });
  const pairing = (id: string, token = t.users.admin!.token) => h.app.inject({ method: 'GET', url: `/v1/channels/${id}/pairing`, headers: bearer(token) });

  it('starts `pairing`, with the phone number kept as digits and no secret or webhook', async () => {
    const res = await create({ phoneNumber: '+6281234567890' });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ type: 'whatsapp_baileys', name: 'WA Toko', status: 'pairing' });
    expect(created.secret).toBeUndefined();
    expect(created.webhookUrl).toBeUndefined();
    const row = await h.deps.db.selectFrom('channels').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pairing', config: { phoneNumber: '6281234567890' }, secrets_enc: null });
    // Before the WhatsApp service has a QR: the status alone.
    expect((await pairing(created.id)).json()).toEqual({ status: 'pairing' });
  });

  it.each([
    ['a phone number that is not international', { phoneNumber: '081234567890' }],
    ['a phone number with letters', { phoneNumber: '+62812abc' }],
    ['an unknown key', { phone: '+6281234567890' }],
  ])('refuses %s with 400 invalid_channel_config and creates nothing', async (_, config) => {
    const before = await h.deps.db.selectFrom('channels').select('id').where('tenant_id', '=', t.id).execute();
    const res = await create(config);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_channel_config');
    expect(await h.deps.db.selectFrom('channels').select('id').where('tenant_id', '=', t.id).execute()).toHaveLength(before.length);
  });

  it('shows the QR and pairing code the WhatsApp service stored, sealed, while they are fresh', async () => {
    const id = (await create({})).json().id as string;
    expect(await claimWhatsappSession(h.deps.db, t.id, id, 1)).toEqual({ ok: true });
    const qr = 'data:image/png;base64,iVBORw0KGgo=';
    await setWhatsappPairing(h.deps.db, t.id, id, 1, { pairingEnc: h.deps.secretBox.seal({ qr, pairingCode: 'SAPA2WA7' }), expiresAt: new Date(Date.now() + 60_000) });
    expect((await pairing(id)).json()).toEqual({ status: 'pairing', qr, pairingCode: 'SAPA2WA7' });

    await setWhatsappPairing(h.deps.db, t.id, id, 1, { pairingEnc: h.deps.secretBox.seal({ qr }), expiresAt: new Date(Date.now() - 1000) });
    expect((await pairing(id)).json()).toEqual({ status: 'pairing' });

    await h.deps.db.updateTable('channels').set({ status: 'active' }).where('id', '=', id).execute();
    expect((await pairing(id)).json()).toEqual({ status: 'active' });
  });

  it('answers 409 pairing_not_supported for another channel type, 404 for an unknown or foreign id, 400 for a bad id, 403 for an agent', async () => {
    const api = await h.app.inject({ method: 'POST', url: '/v1/channels', headers: bearer(t.users.admin!.token), payload: { type: 'api', name: 'CRM', config: { callbackUrl: 'https://crm.example/x' } } });
    const res409 = await pairing(api.json().id);
    expect(res409.statusCode).toBe(409);
    expect(res409.json().error.code).toBe('pairing_not_supported');

    const other = await createTenant(h.deps.db);
    const foreign = (await create({}, other.users.admin!.token)).json().id as string;
    for (const id of [foreign, randomUUID()]) {
      const res = await pairing(id);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('channel_not_found');
    }
    expect((await pairing('not-a-uuid')).statusCode).toBe(400);
    expect((await pairing(foreign, t.users.agent1!.token)).statusCode).toBe(403);
  });

  it('pairs a number again after a logout or a ban, and leaves one that is pairing or linked alone', async () => {
    const id = (await create({})).json().id as string;
    const repair = (token = t.users.admin!.token) => h.app.inject({ method: 'POST', url: `/v1/channels/${id}/pairing`, headers: bearer(token) });
    const res409 = await repair();
    expect([res409.statusCode, res409.json().error.code]).toEqual([409, 'pairing_in_progress']);

    for (const from of ['disconnected', 'error']) {
      await h.deps.db.updateTable('channels').set({ status: from }).where('id', '=', id).execute();
      expect((await repair(t.users.agent1!.token)).statusCode).toBe(403);
      const res = await repair();
      expect([res.statusCode, res.json()]).toEqual([202, { status: 'pairing' }]);
      expect((await pairing(id)).json()).toEqual({ status: 'pairing' });
    }
    const audit = await h.deps.db.selectFrom('audit_log').select(['action', 'details']).where('target_id', '=', id).where('action', '=', 'channel.pairing_restarted').execute();
    expect(audit.map((a) => a.details)).toEqual([{ from: 'disconnected' }, { from: 'error' }]);
  });

  it('unlinks a number: its keys are forgotten, the channel is `disconnected`, admins are told, once however often it is asked', async () => {
    const id = (await create({})).json().id as string;
    await h.deps.db.updateTable('channels').set({ status: 'active' }).where('id', '=', id).execute();
    expect(await claimWhatsappSession(h.deps.db, t.id, id, 3)).toEqual({ ok: true });
    await saveWhatsappCreds(h.deps.db, t.id, id, 3, h.deps.secretBox.seal({ me: { id: '6281234567890:12@s.whatsapp.net' } }));
    await writeWhatsappKeys(h.deps.db, t.id, id, 3, [{ type: 'session', keyId: 'a.0', valueEnc: h.deps.secretBox.seal({ k: 1 }) }]);
    const events: DomainEvent[] = [];
    const unsubscribe = await h.deps.eventBus.subscribe((e) => events.push(e));
    const unlink = (token = t.users.admin!.token) => h.app.inject({ method: 'DELETE', url: `/v1/channels/${id}/pairing`, headers: bearer(token) });
    try {
      expect((await unlink(t.users.agent1!.token)).statusCode).toBe(403);
      for (let i = 0; i < 2; i += 1) {
        const res = await unlink();
        expect([res.statusCode, res.json()]).toEqual([202, { status: 'disconnected' }]);
      }
      expect((await pairing(id)).json()).toEqual({ status: 'disconnected' });
      const session = await h.deps.db.selectFrom('whatsapp_sessions').select(['creds_enc', 'pairing_enc', 'fence']).where('channel_id', '=', id).executeTakeFirstOrThrow();
      // The fence stays: a stale holder is still refused.
      expect(session).toEqual({ creds_enc: null, pairing_enc: null, fence: 3 });
      expect(await h.deps.db.selectFrom('whatsapp_keys').select('key_id').where('channel_id', '=', id).execute()).toEqual([]);
      const audit = await h.deps.db.selectFrom('audit_log').select(['action', 'details', 'actor_id']).where('target_id', '=', id).where('action', '=', 'channel.unlinked').execute();
      expect(audit).toEqual([{ action: 'channel.unlinked', details: { from: 'active' }, actor_id: t.users.admin!.id }]);
      const told = await waitFor(() => events.find((e) => e.type === 'channel.pairing'), 'channel.pairing');
      expect(told).toMatchObject({ tenantId: t.id, audience: { roles: ['admin'] }, data: { channelId: id, status: 'disconnected', reason: 'unlinked' } });
      // A number never linked (no session row) is unlinked all the same.
      const fresh = (await create({})).json().id as string;
      const res = await h.app.inject({ method: 'DELETE', url: `/v1/channels/${fresh}/pairing`, headers: bearer(t.users.admin!.token) });
      expect([res.statusCode, res.json()]).toEqual([202, { status: 'disconnected' }]);
      // Events arrive in the order published: once the fresh channel's is in, a second one of `id` would be too.
      await waitFor(() => events.find((e) => e.data.channelId === fresh), 'the fresh channel\'s channel.pairing');
      expect(events.filter((e) => e.data.channelId === id)).toHaveLength(1);
    } finally {
      await unsubscribe();
    }
  });

  it('refuses to unlink another channel type (409 pairing_not_supported), an unknown or foreign one (404), changing nothing', async () => {
    const api = await h.app.inject({ method: 'POST', url: '/v1/channels', headers: bearer(t.users.admin!.token), payload: { type: 'api', name: 'CRM', config: { callbackUrl: 'https://crm.example/x' } } });
    const unlink = (channelId: string) => h.app.inject({ method: 'DELETE', url: `/v1/channels/${channelId}/pairing`, headers: bearer(t.users.admin!.token) });
    const res409 = await unlink(api.json().id);
    expect([res409.statusCode, res409.json().error.code]).toEqual([409, 'pairing_not_supported']);
    expect((await h.deps.db.selectFrom('channels').select('status').where('id', '=', api.json().id).executeTakeFirstOrThrow()).status).toBe('active');

    const other = await createTenant(h.deps.db);
    const foreign = (await create({}, other.users.admin!.token)).json().id as string;
    for (const channelId of [foreign, randomUUID()]) {
      const res = await unlink(channelId);
      expect([res.statusCode, res.json().error.code]).toEqual([404, 'channel_not_found']);
    }
    expect((await h.deps.db.selectFrom('channels').select('status').where('id', '=', foreign).executeTakeFirstOrThrow()).status).toBe('pairing');
  });
});
