import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { getTenantSettings } from '@sapa/db/queries/tenant-settings';
import { DEFAULT_EMAIL_SIGNATURE, DEFAULT_TEMPLATES } from '@sapa/handling';
import { bearer, createHarness, type Harness } from './harness.js';
import { createWorld, type UserName, type World } from './world.js';

const DEFAULTS = {
  timeZone: 'Asia/Jakarta',
  brand: 'Sapa',
  locale: 'id',
  templates: DEFAULT_TEMPLATES.id,
  inactivity: { firstNudgeSeconds: 60, secondNudgeSeconds: 60, closeSeconds: 60, liveChatLeaveCloseSeconds: 60 },
  routing: {
    firstResponseSeconds: 180,
    responseChain: [{ action: 'reassign' }, { action: 'requeue', raisePriority: 10 }, { action: 'alert_leader' }],
    stickyHours: 24,
    voiceBlocksChat: false,
    awayAfterIdleSeconds: 300,
    announceQueuePosition: true,
  },
  email: { signature: DEFAULT_EMAIL_SIGNATURE.id },
  whatsapp: {},
};

describe('tenant settings', () => {
  let h: Harness;
  let w: World;
  const call = (user: UserName, method: 'GET' | 'PATCH', payload?: unknown) =>
    h.app.inject({ method, url: '/v1/tenant/settings', headers: bearer(w.token(user)), ...(payload !== undefined ? { payload: payload as object } : {}) });
  const stored = async () => (await h.deps.db.selectFrom('tenants').select('settings').where('id', '=', w.tenant.id).executeTakeFirstOrThrow()).settings;

  beforeAll(async () => {
    h = await createHarness();
  });
  beforeEach(async () => {
    w = await createWorld(h.deps.db);
  });
  afterAll(() => h.close());

  it('gives a new tenant the contract defaults: Asia/Jakarta, inactivity 60/60/60/60, first response 180 s, Indonesian texts', async () => {
    const res = await call('admin', 'GET');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(DEFAULTS);
  });

  it.each(['lead', 'qc'] as const)('lets %s read the settings', async (user) => {
    expect((await call(user, 'GET')).json()).toEqual(DEFAULTS);
  });

  it('changes any subset, answers the whole settings, and keeps only what the tenant changed', async () => {
    const res = await call('admin', 'PATCH', { brand: 'Toko Sapa', inactivity: { firstNudgeSeconds: 5 } });
    expect(res.statusCode).toBe(200);
    const expected = { ...DEFAULTS, brand: 'Toko Sapa', inactivity: { ...DEFAULTS.inactivity, firstNudgeSeconds: 5 } };
    expect(res.json()).toEqual(expected);
    expect((await call('admin', 'GET')).json()).toEqual(expected);
    // Only the tenant's own values are stored: a default changed later reaches this tenant too.
    expect(await stored()).toEqual({ brand: 'Toko Sapa', inactivity: { firstNudgeSeconds: 5 } });
  });

  it('merges nested groups key by key across patches', async () => {
    await call('admin', 'PATCH', { inactivity: { firstNudgeSeconds: 5, secondNudgeSeconds: 6 } });
    const res = await call('admin', 'PATCH', { inactivity: { closeSeconds: 7 }, routing: { firstResponseSeconds: 86_400 } });
    expect(res.json().inactivity).toEqual({ firstNudgeSeconds: 5, secondNudgeSeconds: 6, closeSeconds: 7, liveChatLeaveCloseSeconds: 60 });
    expect(res.json().routing).toEqual({ ...DEFAULTS.routing, firstResponseSeconds: 86_400 });
  });

  it('accepts the bounds of a duration, 1 and 86400 seconds', async () => {
    const res = await call('admin', 'PATCH', { inactivity: { firstNudgeSeconds: 1, liveChatLeaveCloseSeconds: 86_400 } });
    expect(res.statusCode).toBe(200);
    expect(res.json().inactivity).toMatchObject({ firstNudgeSeconds: 1, liveChatLeaveCloseSeconds: 86_400 });
  });

  it('switches the untouched templates to English with the locale, and keeps a template the tenant wrote', async () => {
    await call('admin', 'PATCH', { templates: { closing: 'Terima kasih, {agentName} dari {brand}. {closingPhrase}!' } });
    const res = await call('admin', 'PATCH', { locale: 'en', timeZone: 'Asia/Makassar' });
    expect(res.json()).toMatchObject({
      locale: 'en',
      timeZone: 'Asia/Makassar',
      templates: { greeting: DEFAULT_TEMPLATES.en.greeting, nudge: DEFAULT_TEMPLATES.en.nudge, closing: 'Terima kasih, {agentName} dari {brand}. {closingPhrase}!' },
    });
  });

  it('keeps an email signature the tenant wrote, follows the locale otherwise, and refuses one with an unknown placeholder', async () => {
    expect((await call('admin', 'PATCH', { locale: 'en' })).json().email).toEqual({ signature: DEFAULT_EMAIL_SIGNATURE.en });
    const own = await call('admin', 'PATCH', { email: { signature: 'Hormat kami,\n{agentName} — {brand}' } });
    expect(own.json().email).toEqual({ signature: 'Hormat kami,\n{agentName} — {brand}' });
    const bad = await call('admin', 'PATCH', { email: { signature: 'Salam, {closingPhrase}' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.errors.map((e: { path: string }) => e.path)).toEqual(['email.signature']);
  });

  it('keeps WhatsApp templates for nudges and closings outside the 24-hour window, and removes one set to null', async () => {
    const nudgeTemplate = { name: 'still_there', language: 'id' };
    const closingTemplate = { name: 'thanks_bye', language: 'en_US' };
    expect((await call('admin', 'PATCH', { whatsapp: { nudgeTemplate, closingTemplate } })).json().whatsapp).toEqual({ nudgeTemplate, closingTemplate });
    const removed = await call('admin', 'PATCH', { whatsapp: { nudgeTemplate: null } });
    expect([removed.statusCode, removed.json().whatsapp]).toEqual([200, { closingTemplate }]);
    expect((await getTenantSettings(h.deps.db, w.tenant.id)).whatsapp).toEqual({ closingTemplate });
    const bad = await call('admin', 'PATCH', { whatsapp: { closingTemplate: { name: 'Bye Bye', language: 'id' } } });
    expect([bad.statusCode, bad.json().error.details.errors.map((e: { path: string }) => e.path)]).toEqual([400, ['whatsapp.closingTemplate']]);
  });

  it('refuses a bad patch with 400 validation_failed naming every bad path, and changes nothing', async () => {
    await call('admin', 'PATCH', { brand: 'Toko Sapa' });
    const before = await stored();
    const res = await call('admin', 'PATCH', {
      brand: 'Another',
      timeZone: 'Asia/Bandung',
      inactivity: { closeSeconds: 86_401, firstNudgeSeconds: 0 },
      colour: 'blue',
    });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('validation_failed');
    expect(error.details.errors.map((e: { path: string }) => e.path).sort()).toEqual(['colour', 'inactivity.closeSeconds', 'inactivity.firstNudgeSeconds', 'timeZone']);
    expect(error.message).toContain('inactivity.closeSeconds');
    expect(await stored()).toEqual(before);
    expect((await call('admin', 'GET')).json().brand).toBe('Toko Sapa');
  });

  it('records each change in the audit log with the patch', async () => {
    await call('admin', 'PATCH', { routing: { firstResponseSeconds: 120 } });
    const audit = await h.deps.db.selectFrom('audit_log').selectAll().where('tenant_id', '=', w.tenant.id).execute();
    expect(audit).toEqual([
      expect.objectContaining({ action: 'tenant_settings.changed', actor_id: w.userId('admin'), target_type: 'tenant', target_id: w.tenant.id, details: { patch: { routing: { firstResponseSeconds: 120 } } } }),
    ]);
  });

  it('reads a stored value that is no longer valid as its default, keeping the valid ones (getTenantSettings)', async () => {
    const settings = { timeZone: 'Nowhere/City', brand: 'Toko', inactivity: { firstNudgeSeconds: -1, closeSeconds: 30, extra: 1 }, templates: 'x', other: { kept: true } };
    await h.deps.db.updateTable('tenants').set({ settings: JSON.stringify(settings) }).where('id', '=', w.tenant.id).execute();
    expect(await getTenantSettings(h.deps.db, w.tenant.id)).toEqual({ ...DEFAULTS, brand: 'Toko', inactivity: { ...DEFAULTS.inactivity, closeSeconds: 30 } });
    // A patch keeps keys of tenants.settings that are not handling settings.
    await call('admin', 'PATCH', { brand: 'Toko Baru' });
    expect(await stored()).toMatchObject({ other: { kept: true }, brand: 'Toko Baru' });
  });

  it('takes a first-response chain of known steps, and names what is wrong with a bad one', async () => {
    const chain = [{ action: 'reassign', afterSeconds: 120 }, { action: 'reassign' }, { action: 'requeue', raisePriority: 20 }, { action: 'alert_leader', afterSeconds: 60 }, { action: 'escalate', team: 'tier2' }];
    const ok = await call('admin', 'PATCH', { routing: { responseChain: chain, stickyHours: 0, voiceBlocksChat: true, awayAfterIdleSeconds: 120 } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().routing).toEqual({ ...DEFAULTS.routing, responseChain: chain, stickyHours: 0, voiceBlocksChat: true, awayAfterIdleSeconds: 120 });
    for (const [responseChain, message] of [
      [[{ action: 'ring_bell' }], /action must be one of/],
      [[{ action: 'requeue' }], /raisePriority/],
      [[{ action: 'escalate', team: 'Tier 2' }], /team key/],
      [[{ action: 'reassign', team: 'tier2' }], /team is not a field of reassign/],
      [[{ action: 'reassign', afterSeconds: 0 }], /afterSeconds/],
    ] as const) {
      const bad = await call('admin', 'PATCH', { routing: { responseChain } });
      expect(bad.statusCode).toBe(400);
      expect(JSON.stringify(bad.json().error.details)).toMatch(message);
    }
    const sticky = await call('admin', 'PATCH', { routing: { stickyHours: 721 } });
    expect(sticky.statusCode).toBe(400);
    expect((await call('admin', 'GET')).json().routing.responseChain).toEqual(chain);
  });

  it('lets two patches at once both land', async () => {
    await Promise.all([
      call('admin', 'PATCH', { inactivity: { firstNudgeSeconds: 11 } }),
      call('admin', 'PATCH', { inactivity: { secondNudgeSeconds: 22 } }),
      call('admin', 'PATCH', { brand: 'Serentak' }),
    ]);
    expect((await call('admin', 'GET')).json()).toMatchObject({ brand: 'Serentak', inactivity: { firstNudgeSeconds: 11, secondNudgeSeconds: 22 } });
  });
});
