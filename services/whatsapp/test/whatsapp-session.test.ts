import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { BaileysEventMap } from '@whiskeysockets/baileys';
import { createLocalDiskStore } from '@sapa/attachments';
import type { DomainEvent, InboundMessage } from '@sapa/contracts';
import { createDb, createSecretBox, type DB, type Kysely } from '@sapa/db';
import { createDelivery } from '@sapa/db/queries/deliveries';
import { forgetWhatsappSession, readWhatsappPairing, setWhatsappChannelStatus } from '@sapa/db/queries/whatsapp-sessions';
import { createEventBus, createRedis, type Redis } from '@sapa/queue';
import { createLogger, createMetrics } from '@sapa/service-kit';
import { createTenant, testEnv, type TestTenant } from '@sapa/test-support';
import { startWhatsapp, type RunningWhatsapp } from '../src/index.js';
import { fakeConnector, fixture, type FakeSocket } from './fake-socket.js';
import { insertWhatsappChannel, waitFor } from './support.js';

const env = testEnv();
const secretBox = createSecretBox(env.secretKey);
const logger = createLogger({ service: 'whatsapp-test', level: 'silent', pretty: false });
const CUSTOMER = '6281234567890@s.whatsapp.net';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const OGG = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(24), Buffer.from('OpusHead'), Buffer.alloc(32)]);

let db: Kysely<DB>;
let redis: Redis;
let tenant: TestTenant;
let storeDir: string;
const running: RunningWhatsapp[] = [];
let prefix: string;
let events: DomainEvent[];
let unsubscribe: () => Promise<void>;

beforeAll(async () => {
  db = createDb({ connectionString: env.databaseUrl, max: 8 });
  redis = createRedis(env.redisUrl);
  tenant = await createTenant(db);
  storeDir = mkdtempSync(join(tmpdir(), 'sapa-wa-'));
});
afterAll(async () => {
  await redis.quit();
  await db.destroy();
  rmSync(storeDir, { recursive: true, force: true });
});
beforeEach(async () => {
  prefix = `${env.redisPrefix}:wa-${randomUUID().slice(0, 8)}`;
  events = [];
  unsubscribe = await createEventBus(redis, prefix).subscribe((e) => events.push(e));
});
afterEach(async () => {
  for (const r of running.splice(0)) await r.close();
  await unsubscribe();
  // Other tests' numbers must not be taken by the next test's replicas.
  await db.updateTable('channels').set({ status: 'disabled' }).where('tenant_id', '=', tenant.id).execute();
});

async function start(media = new Map<string, Buffer>(), options: { leaseTtlMs?: number; renewIntervalMs?: number; scanIntervalMs?: number; holderId?: string } = {}) {
  const fake = fakeConnector(media);
  const whatsapp = await startWhatsapp({
    db,
    redis,
    prefix,
    secretBox,
    store: createLocalDiskStore(storeDir),
    logger,
    metrics: createMetrics(`whatsapp_test_${running.length}`),
    connect: fake.connect,
    scanIntervalMs: 50,
    reconnectDelayMs: () => 20,
    backoffDelayMs: 10,
    // Other test files' whatsapp_baileys channels share the database: this file's replicas hold only its tenant's.
    onlyTenants: () => [tenant.id],
    ...options,
  });
  running.push(whatsapp);
  return { whatsapp, sockets: fake.sockets };
}

/** Starts a replica on a new channel and waits for its socket, and for its session (held once started). */
async function holding(status = 'active', config: Record<string, unknown> = {}, media?: Map<string, Buffer>) {
  const channelId = await insertWhatsappChannel(db, tenant.id, status, config);
  const replica = await start(media);
  const socket = await waitFor(() => replica.sockets[0]);
  await waitFor(() => replica.whatsapp.sessions.sessionOf(channelId));
  return { channelId, socket, ...replica };
}

async function inboundJobs(whatsapp: RunningWhatsapp): Promise<InboundMessage[]> {
  const jobs = await whatsapp.producer.queue('inbound').getJobs(['waiting', 'delayed', 'active', 'completed']);
  return jobs.map((j) => j.data as InboundMessage).sort((a, b) => (a.sentAt ?? '').localeCompare(b.sentAt ?? ''));
}

const channelStatus = async (id: string) => (await db.selectFrom('channels').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

describe('pairing a number', () => {
  it('shows the QR as a PNG data URL and the pairing code, to the route and to admins, then goes active once linked', async () => {
    const { channelId, socket } = await holding('pairing', { phoneNumber: '+6281234567890' });
    socket.emit('connection.update', fixture('connection-update-qr'));

    const pairing = await waitFor(() => events.find((e) => e.type === 'channel.pairing' && e.data.status === 'pairing'));
    expect(pairing.audience).toEqual({ roles: ['admin'] });
    expect(pairing.data).toMatchObject({ channelId, status: 'pairing', pairingCode: 'SAPA2WA7' });
    expect(pairing.data.qr).toMatch(/^data:image\/png;base64,/);
    expect(socket.pairingCodesAsked).toEqual(['6281234567890']);
    const stored = await readWhatsappPairing(db, tenant.id, channelId);
    expect(secretBox.open(stored!)).toEqual({ qr: pairing.data.qr, pairingCode: 'SAPA2WA7' });
    expect(stored).not.toContain('SAPA2WA7');

    socket.emit('creds.update', { registered: true, me: { id: '6281234567890:12@s.whatsapp.net', name: 'Toko' } });
    socket.emit('connection.update', fixture('connection-update-open'));
    await waitFor(async () => (await channelStatus(channelId)) === 'active');
    await waitFor(() => events.find((e) => e.type === 'channel.pairing' && e.data.status === 'active'));
    expect(await readWhatsappPairing(db, tenant.id, channelId)).toBeUndefined();
    const creds = await db.selectFrom('whatsapp_sessions').select('creds_enc').where('channel_id', '=', channelId).executeTakeFirstOrThrow();
    expect(creds.creds_enc).not.toContain('6281234567890');
  });

  it('reports a logout as `disconnected`, forgets the auth state and lets the number go', async () => {
    const { channelId, socket, whatsapp } = await holding();
    await socket.auth.keys.set({ session: { 'a.0': Buffer.from([1]) } });
    socket.emit('connection.update', fixture('connection-close-logged-out'));
    await waitFor(async () => (await channelStatus(channelId)) === 'disconnected');
    await waitFor(() => events.find((e) => e.type === 'channel.pairing' && e.data.status === 'disconnected' && e.data.reason === 'logged_out'));
    await waitFor(() => whatsapp.sessions.sessionOf(channelId) === undefined);
    expect(await db.selectFrom('whatsapp_keys').select('key_id').where('channel_id', '=', channelId).execute()).toEqual([]);
    expect(await redis.get(`${prefix}:wa:lease:${channelId}`)).toBeNull();
  });

  it('logs a number out once when an admin unlinks it (the route turns it `disconnected`), forgetting its keys', async () => {
    const { channelId, socket, whatsapp } = await holding();
    socket.emit('connection.update', fixture('connection-update-open'));
    await waitFor(() => whatsapp.sessions.sessionOf(channelId)?.isConnected);
    await socket.auth.keys.set({ session: { 'a.0': Buffer.from([1]) } });
    await db.updateTable('channels').set({ status: 'disconnected' }).where('id', '=', channelId).execute();
    // The lease is released once the session has stopped: logged out and forgotten.
    await waitFor(async () => whatsapp.sessions.sessionOf(channelId) === undefined && (await redis.get(`${prefix}:wa:lease:${channelId}`)) === null);
    expect(socket.logouts).toBe(1);
    expect(await db.selectFrom('whatsapp_keys').select('key_id').where('channel_id', '=', channelId).execute()).toEqual([]);
    // The route told the admins; the 401 Baileys closes a logged-out socket with is not taken for the phone's logout.
    expect(events.filter((e) => e.data.reason === 'logged_out')).toEqual([]);
  });

  it('only ends the socket of a number that is disabled: the link stays', async () => {
    const { channelId, socket, whatsapp } = await holding();
    await db.updateTable('channels').set({ status: 'disabled' }).where('id', '=', channelId).execute();
    // The lease is released once the session has stopped.
    await waitFor(async () => whatsapp.sessions.sessionOf(channelId) === undefined && (await redis.get(`${prefix}:wa:lease:${channelId}`)) === null);
    expect([socket.ended, socket.logouts]).toEqual([true, 0]);
  });

  it('reports a ban (403) as `error` and stops', async () => {
    const { channelId, socket, whatsapp } = await holding();
    socket.emit('connection.update', fixture('connection-close-forbidden'));
    await waitFor(async () => (await channelStatus(channelId)) === 'error');
    await waitFor(() => events.find((e) => e.type === 'channel.pairing' && e.data.status === 'error' && e.data.reason === 'banned'));
    await waitFor(() => whatsapp.sessions.sessionOf(channelId) === undefined);
  });

  it('reconnects after a lost connection, and at once when WhatsApp asks for a restart', async () => {
    const { channelId, socket, sockets } = await holding();
    socket.emit('connection.update', fixture('connection-close-lost'));
    const second = await waitFor(() => sockets[1]);
    expect(socket.ended).toBe(true);
    second.emit('connection.update', fixture('connection-close-restart'));
    await waitFor(() => sockets[2]);
    expect(await channelStatus(channelId)).toBe('active');
  });
});

describe('an admin unlinking a number while its socket is busy', () => {
  /** What `DELETE /v1/channels/{id}/pairing` writes (services/inbox-api/src/routes/channel-pairing.ts). */
  const unlink = (channelId: string) =>
    db.transaction().execute(async (trx) => {
      await forgetWhatsappSession(trx, tenant.id, channelId);
      await setWhatsappChannelStatus(trx, tenant.id, channelId, 'disconnected');
    });

  /** A replica that scans only when the test says (its start-up scan aside), so the race plays in a fixed order. */
  async function holdingWithoutScans(status: string) {
    const channelId = await insertWhatsappChannel(db, tenant.id, status);
    const replica = await start(undefined, { scanIntervalMs: 3_600_000 });
    const socket = await waitFor(() => replica.sockets[0]);
    const session = await waitFor(() => replica.whatsapp.sessions.sessionOf(channelId));
    return { channelId, socket, session, ...replica };
  }

  const statusEvents = (channelId: string, status: string) => events.filter((e) => e.type === 'channel.pairing' && e.data.channelId === channelId && e.data.status === status);

  it('keeps the unlink when the reconnected socket reports `open` before the next scan: the channel stays disconnected, the device is logged out', async () => {
    const { channelId, socket, sockets, session, whatsapp } = await holdingWithoutScans('active');
    socket.emit('connection.update', fixture('connection-close-lost'));
    const again = await waitFor(() => sockets[1]);
    await unlink(channelId);
    again.emit('connection.update', fixture('connection-update-open'));
    await session.settled();
    expect(session.isConnected).toBe(true);
    expect(await channelStatus(channelId)).toBe('disconnected');

    await whatsapp.sessions.scan();
    await waitFor(async () => whatsapp.sessions.sessionOf(channelId) === undefined && (await redis.get(`${prefix}:wa:lease:${channelId}`)) === null);
    expect(again.logouts).toBe(1);
    expect(await channelStatus(channelId)).toBe('disconnected');
    expect(statusEvents(channelId, 'active')).toEqual([]);
  });

  it('keeps the unlink when a new QR comes before the next scan: the channel does not go back to pairing and no QR is shown', async () => {
    const { channelId, socket, session, whatsapp } = await holdingWithoutScans('pairing');
    await unlink(channelId);
    socket.emit('connection.update', fixture('connection-update-qr'));
    await session.settled();
    expect(await channelStatus(channelId)).toBe('disconnected');

    await whatsapp.sessions.scan();
    await waitFor(async () => whatsapp.sessions.sessionOf(channelId) === undefined && (await redis.get(`${prefix}:wa:lease:${channelId}`)) === null);
    expect([socket.ended, await channelStatus(channelId)]).toEqual([true, 'disconnected']);
    expect(statusEvents(channelId, 'pairing')).toEqual([]);
  });
});

describe('inbound messages', () => {
  it('normalises text and replies, once each however often WhatsApp repeats them', async () => {
    const { channelId, socket, whatsapp } = await holding();
    socket.emit('messages.upsert', fixture('messages-upsert-text'));
    socket.emit('messages.upsert', fixture('messages-upsert-text'));
    socket.emit('messages.upsert', fixture('messages-upsert-append'));
    await whatsapp.sessions.sessionOf(channelId)!.settled();

    const jobs = await inboundJobs(whatsapp);
    expect(jobs).toEqual([
      expect.objectContaining({
        tenantId: tenant.id,
        channelId,
        channelType: 'whatsapp_baileys',
        externalMessageId: '3EB0C4A1F2D3E4B5A6C7',
        from: { externalId: CUSTOMER, name: 'Budi Santoso', phone: '+6281234567890' },
        text: 'Halo, saldo saya belum masuk',
        attachments: [],
        sentAt: '2026-01-01T00:00:00.000Z',
      }),
      expect.objectContaining({
        externalMessageId: '3EB0D9E8F7A6B5C4D3E2',
        // Addressed by LID, with the phone number as the alternative: the same customer as above.
        from: { externalId: CUSTOMER, name: 'Budi Santoso', phone: '+6281234567890' },
        text: '> Mohon kirim bukti transfernya ya kak\n> Terima kasih\n\nYang ini kak, sudah 2 hari',
      }),
    ]);
  });

  it('stores images, documents and voice notes as attachments Sapa holds, and reads locations as geo URIs', async () => {
    const media = new Map([
      ['3EB0A1A1A1A1A1A1A1A1', PNG],
      ['3EB0B2B2B2B2B2B2B2B2', PDF],
      ['3EB0C3C3C3C3C3C3C3C3', OGG],
    ]);
    const { channelId, socket, whatsapp } = await holding('active', {}, media);
    socket.emit('messages.upsert', fixture('messages-upsert-media'));
    await whatsapp.sessions.sessionOf(channelId)!.settled();
    const [image, doc, voice, location] = await inboundJobs(whatsapp);

    expect(image!.text).toBe('Ini bukti transfernya');
    expect(image!.attachments).toEqual([{ url: expect.stringMatching(/^sapa-attachment:/), contentType: 'image/png', id: expect.any(String), size: PNG.length }]);
    expect(doc!.text).toBe('Mutasi bulan ini');
    expect(doc!.attachments[0]).toMatchObject({ contentType: 'application/pdf', filename: 'mutasi-rekening.pdf', size: PDF.length });
    expect(voice!.text).toBeUndefined();
    expect(voice!.attachments[0]!.contentType).toMatch(/^audio\//);
    expect(location!.text).toBe('geo:-6.2087634,106.845599\nToko Sapa Cabang Sudirman\nJl. Jend. Sudirman No. 1, Jakarta');
    const rows = await db.selectFrom('attachments').select(['id', 'origin', 'channel_id']).where('id', 'in', [image, doc, voice].map((m) => m!.attachments[0]!.id!)).execute();
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.origin === 'inbound' && r.channel_id === channelId)).toBe(true);
  });

  it('keeps a message whose media WhatsApp no longer serves, with the reason on the attachment', async () => {
    const { channelId, socket, whatsapp } = await holding();
    const upsert = fixture<BaileysEventMap['messages.upsert']>('messages-upsert-media');
    socket.emit('messages.upsert', { ...upsert, messages: upsert.messages.slice(0, 1) });
    await whatsapp.sessions.sessionOf(channelId)!.settled();
    const [image] = await inboundJobs(whatsapp);
    expect(image!.attachments).toEqual([{ url: 'whatsapp-media:3EB0A1A1A1A1A1A1A1A1', contentType: 'image/jpeg', error: 'attachment_unavailable' }]);
  });

  it('skips groups, status updates, its own messages, reactions, revokes and stubs; quarantines what it cannot show', async () => {
    const { channelId, socket, whatsapp } = await holding();
    socket.emit('messages.upsert', fixture('messages-upsert-skipped'));
    socket.emit('messages.upsert', fixture('messages-upsert-unsupported'));
    await whatsapp.sessions.sessionOf(channelId)!.settled();
    expect(await inboundJobs(whatsapp)).toEqual([]);
    const kept = await db.selectFrom('inbound_quarantine').select(['source', 'reason', 'payload']).where('channel_id', '=', channelId).execute();
    expect(kept).toEqual([{ source: 'whatsapp_baileys', reason: 'unsupported_pollCreationMessageV3', payload: expect.any(Buffer) }]);
    expect(kept[0]!.payload.toString()).toContain('Pilih jadwal');
  });
});

async function seedReply(channelId: string, text: string | null, attachments: unknown[] = []) {
  const contact = await db.insertInto('contacts').values({ tenant_id: tenant.id, name: 'Budi' }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('contact_identities').values({ tenant_id: tenant.id, contact_id: contact.id, channel_id: channelId, external_id: CUSTOMER }).execute();
  const conversation = await db
    .insertInto('conversations')
    .values({ tenant_id: tenant.id, channel_id: channelId, contact_id: contact.id, team_id: tenant.teamId, kind: 'chat', status: 'queued' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const message = await db
    .insertInto('messages')
    .values({ tenant_id: tenant.id, conversation_id: conversation.id, channel_id: channelId, direction: 'out', author_type: 'agent', text, attachments: JSON.stringify(attachments), status: 'queued' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const delivery = await createDelivery(db, tenant.id, { messageId: message.id, conversationId: conversation.id, channelId });
  return { messageId: message.id, deliveryId: delivery.id };
}

const messageRow = (id: string) => db.selectFrom('messages').select(['status', 'external_id']).where('id', '=', id).executeTakeFirstOrThrow();

describe('replies and receipts', () => {
  it('sends a reply from the holder with a message id fixed by the delivery, then follows its receipts to read', async () => {
    const { channelId, socket, whatsapp } = await holding();
    socket.emit('connection.update', fixture('connection-update-open'));
    await waitFor(() => whatsapp.sessions.sessionOf(channelId)?.isConnected);
    const reply = await seedReply(channelId, 'Baik kak, kami cek dulu ya');
    await whatsapp.producer.add('outbound.whatsapp_baileys', { tenantId: tenant.id, deliveryId: reply.deliveryId, messageId: reply.messageId, replay: 0 });

    const sent = await waitFor(async () => ((await messageRow(reply.messageId)).status === 'sent' ? messageRow(reply.messageId) : undefined));
    expect(socket.sent).toEqual([{ jid: CUSTOMER, content: { text: 'Baik kak, kami cek dulu ya' }, messageId: sent.external_id }]);
    expect(sent.external_id).toMatch(/^3EB0[0-9A-F]{18}$/);

    socket.emit('messages.update', fixture('messages-update-receipts', { __SENT_ID__: sent.external_id! }));
    await waitFor(async () => (await messageRow(reply.messageId)).status === 'delivered');
    socket.emit('messages.update', fixture('messages-update-read', { __SENT_ID__: sent.external_id! }));
    await waitFor(async () => (await messageRow(reply.messageId)).status === 'read');
    expect(events.filter((e) => e.type === 'message.updated').map((e) => e.data.status)).toEqual(['sent', 'delivered', 'read']);
  });

  it('sends a stored file with the words as its caption', async () => {
    const { channelId, socket, whatsapp } = await holding();
    socket.emit('connection.update', fixture('connection-update-open'));
    await waitFor(() => whatsapp.sessions.sessionOf(channelId)?.isConnected);
    const { saveAttachment } = await import('@sapa/attachments');
    const file = await saveAttachment({ db, store: createLocalDiskStore(storeDir) }, { tenantId: tenant.id, channelId, limits: 'upload', origin: 'upload', body: PNG });
    const reply = await seedReply(channelId, 'Ini panduannya', [{ url: `sapa-attachment:${file.id}`, contentType: 'image/png', id: file.id, size: PNG.length }]);
    await whatsapp.producer.add('outbound.whatsapp_baileys', { tenantId: tenant.id, deliveryId: reply.deliveryId, messageId: reply.messageId, replay: 0 });
    await waitFor(async () => (await messageRow(reply.messageId)).status === 'sent');
    expect(socket.sent).toEqual([{ jid: CUSTOMER, content: { image: PNG, mimetype: 'image/png', caption: 'Ini panduannya' }, messageId: expect.any(String) }]);
  });

  it('fails a reply at once on a number that was logged out', async () => {
    const channelId = await insertWhatsappChannel(db, tenant.id, 'disconnected');
    const { whatsapp } = await start();
    const reply = await seedReply(channelId, 'Halo');
    await whatsapp.producer.add('outbound.whatsapp_baileys', { tenantId: tenant.id, deliveryId: reply.deliveryId, messageId: reply.messageId, replay: 0 });
    await waitFor(async () => (await messageRow(reply.messageId)).status === 'failed');
  });
});

describe('one holder per number', () => {
  it('moves a dead replica’s number to another within the lease, and refuses the stale replica’s writes', async () => {
    const channelId = await insertWhatsappChannel(db, tenant.id, 'active');
    // Replica a never renews: to the others it is dead once its 400 ms lease runs out.
    const a = await start(new Map(), { leaseTtlMs: 400, renewIntervalMs: 60_000, holderId: 'a' });
    const socketA = await waitFor(() => a.sockets[0]);
    const tokenA = (await waitFor(() => a.whatsapp.sessions.sessionOf(channelId))).lease.token;
    // b's own lease is long: only a's short one is under test.
    const b = await start(new Map(), { leaseTtlMs: 10_000, holderId: 'b' });

    const socketB = await waitFor(() => b.sockets[0]);
    expect((await waitFor(() => b.whatsapp.sessions.sessionOf(channelId))).lease.token).toBeGreaterThan(tokenA);

    // a wakes up and writes: its token is stale, Postgres refuses, and a lets the number go.
    socketA.emit('creds.update', { registered: true });
    await waitFor(() => a.whatsapp.sessions.sessionOf(channelId) === undefined);
    expect(socketA.ended).toBe(true);
    expect(b.whatsapp.sessions.sessionOf(channelId)).toBeDefined();
    // b's writes go through.
    await socketB.auth.keys.set({ session: { 'b.0': Buffer.from([2]) } });
    socketB.emit('creds.update', { registered: true });
    await b.whatsapp.sessions.sessionOf(channelId)!.settled();
    expect(b.whatsapp.sessions.sessionOf(channelId)).toBeDefined();
  });
});

describe('sharing numbers between replicas', () => {
  it('splits the numbers evenly when a second replica starts after the first took them all', async () => {
    const channels = await Promise.all([1, 2, 3, 4].map(() => insertWhatsappChannel(db, tenant.id, 'active')));
    const a = await start(new Map(), { holderId: 'a' });
    await waitFor(() => channels.every((id) => a.whatsapp.sessions.sessionOf(id)));
    const b = await start(new Map(), { holderId: 'b' });
    const heldBy = (r: typeof a) => channels.filter((id) => r.whatsapp.sessions.sessionOf(id)).length;
    await waitFor(() => heldBy(a) === 2 && heldBy(b) === 2 && channels.every((id) => a.whatsapp.sessions.sessionOf(id) || b.whatsapp.sessions.sessionOf(id)));
    // Handed over, not logged out: the links stay for b to open.
    expect(a.sockets.reduce((n, s) => n + s.logouts, 0)).toBe(0);
  });
});

describe('the tenants a replica serves', () => {
  it('holds only the numbers of the tenants it is told to (tests share one database)', async () => {
    const other = await createTenant(db);
    const stray = await insertWhatsappChannel(db, other.id, 'active');
    try {
      const mine = await insertWhatsappChannel(db, tenant.id, 'active');
      const { whatsapp, sockets } = await start();
      await waitFor(() => whatsapp.sessions.sessionOf(mine));
      await whatsapp.sessions.scan();
      expect(whatsapp.sessions.sessionOf(stray)).toBeUndefined();
      expect(sockets).toHaveLength(1);
    } finally {
      await db.updateTable('channels').set({ status: 'disabled' }).where('id', '=', stray).execute();
    }
  });
});
