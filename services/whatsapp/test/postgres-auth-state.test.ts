import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { initAuthCreds, proto } from '@whiskeysockets/baileys';
import { createDb, createSecretBox, type DB, type Kysely } from '@sapa/db';
import { claimWhatsappSession } from '@sapa/db/queries/whatsapp-sessions';
import { createTenant, testEnv } from '@sapa/test-support';
import { FencedOut, loadPostgresAuthState } from '../src/index.js';
import { insertWhatsappChannel } from './support.js';

const env = testEnv();
const secretBox = createSecretBox(env.secretKey);
let db: Kysely<DB>;
let tenantId: string;

beforeAll(async () => {
  db = createDb({ connectionString: env.databaseUrl, max: 4 });
  tenantId = (await createTenant(db, {})).id;
});
afterAll(async () => {
  await db.destroy();
});

async function freshSession(fence = 1) {
  const channelId = await insertWhatsappChannel(db, tenantId);
  expect(await claimWhatsappSession(db, tenantId, channelId, fence)).toEqual({ ok: true });
  return { tenantId, channelId, fence };
}

describe('the Baileys auth state in Postgres', () => {
  it('starts a number without stored creds on fresh Baileys creds', async () => {
    const ref = await freshSession();
    const { state } = await loadPostgresAuthState({ db, secretBox }, ref);
    expect(state.creds.registered).toBe(false);
    expect(Buffer.isBuffer(state.creds.noiseKey.private)).toBe(true);
  });

  it('gives back the same creds after a save, Buffers as Buffers', async () => {
    const ref = await freshSession();
    const first = await loadPostgresAuthState({ db, secretBox }, ref);
    Object.assign(first.state.creds, { registered: true, me: { id: '6281234567890:7@s.whatsapp.net', name: 'Toko Sapa' }, routingInfo: Buffer.from([1, 2, 3]) });
    await first.saveCreds();

    const again = await loadPostgresAuthState({ db, secretBox }, ref);
    expect(again.state.creds.registered).toBe(true);
    expect(again.state.creds.me).toEqual({ id: '6281234567890:7@s.whatsapp.net', name: 'Toko Sapa' });
    expect(Buffer.isBuffer(again.state.creds.routingInfo)).toBe(true);
    expect(again.state.creds.routingInfo).toEqual(Buffer.from([1, 2, 3]));
    expect(Buffer.compare(again.state.creds.signedIdentityKey.private as Buffer, first.state.creds.signedIdentityKey.private as Buffer)).toBe(0);
    expect(again.state.creds.advSecretKey).toBe(first.state.creds.advSecretKey);
  });

  it('keeps creds and keys sealed at rest: the raw columns do not contain the plaintext', async () => {
    const ref = await freshSession();
    const { state, saveCreds } = await loadPostgresAuthState({ db, secretBox }, ref);
    Object.assign(state.creds, { me: { id: '6289900001111@s.whatsapp.net', name: 'Rahasia' } });
    await saveCreds();
    const session = Buffer.from('session-bytes-plain-marker');
    await state.keys.set({ session: { '6281111@s.whatsapp.net.0': session }, 'lid-mapping': { '6281111': '123456789@lid' } });

    const row = await db.selectFrom('whatsapp_sessions').select('creds_enc').where('channel_id', '=', ref.channelId).executeTakeFirstOrThrow();
    expect(row.creds_enc).toMatch(/^v1\./);
    expect(row.creds_enc).not.toContain('6289900001111');
    expect(row.creds_enc).not.toContain(state.creds.advSecretKey);
    const keys = await db.selectFrom('whatsapp_keys').select(['type', 'value_enc']).where('channel_id', '=', ref.channelId).execute();
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key.value_enc).toMatch(/^v1\./);
      expect(key.value_enc).not.toContain(session.toString('base64'));
      expect(key.value_enc).not.toContain('123456789@lid');
    }
  });

  it('round-trips signal keys of each kind, removes a key set to null, and answers only the ids it has', async () => {
    const ref = await freshSession();
    const { state } = await loadPostgresAuthState({ db, secretBox }, ref);
    const preKey = initAuthCreds().signedIdentityKey;
    await state.keys.set({
      'pre-key': { '1': preKey, '2': preKey },
      session: { 'a.0': Buffer.from([9, 8, 7]) },
      'sender-key-memory': { 'g@g.us': { 'a@s.whatsapp.net': true } },
      'app-state-sync-key': { AAAA: { keyData: Buffer.from([5, 5]), timestamp: 1700000000 } },
      'device-list': { '6281111': ['0', '3'] },
    });
    await state.keys.set({ 'pre-key': { '2': null } });

    const again = (await loadPostgresAuthState({ db, secretBox }, ref)).state;
    const preKeys = await again.keys.get('pre-key', ['1', '2', '3']);
    expect(Object.keys(preKeys)).toEqual(['1']);
    expect(Buffer.compare(preKeys['1']!.private as Buffer, preKey.private as Buffer)).toBe(0);
    expect(await again.keys.get('session', ['a.0'])).toEqual({ 'a.0': Buffer.from([9, 8, 7]) });
    expect(await again.keys.get('sender-key-memory', ['g@g.us'])).toEqual({ 'g@g.us': { 'a@s.whatsapp.net': true } });
    expect(await again.keys.get('device-list', ['6281111'])).toEqual({ '6281111': ['0', '3'] });
    const appState = (await again.keys.get('app-state-sync-key', ['AAAA'])).AAAA;
    expect(appState).toBeInstanceOf(proto.Message.AppStateSyncKeyData);
    expect(Buffer.from(appState!.keyData!)).toEqual(Buffer.from([5, 5]));
  });

  it("refuses a stale holder's writes once a newer holder claimed the number, and keeps the newer holder's data", async () => {
    const old = await freshSession(3);
    const stale = await loadPostgresAuthState({ db, secretBox }, old);
    expect(await claimWhatsappSession(db, tenantId, old.channelId, 4)).toEqual({ ok: true });
    const current = await loadPostgresAuthState({ db, secretBox }, { ...old, fence: 4 });
    await current.state.keys.set({ session: { 'x.0': Buffer.from('new') } });

    await expect(stale.state.keys.set({ session: { 'x.0': Buffer.from('old') } })).rejects.toBeInstanceOf(FencedOut);
    await expect(stale.saveCreds()).rejects.toBeInstanceOf(FencedOut);
    expect(await current.state.keys.get('session', ['x.0'])).toEqual({ 'x.0': Buffer.from('new') });
    expect(await claimWhatsappSession(db, tenantId, old.channelId, 2)).toEqual({ ok: false, fence: 4 });
  });
});
