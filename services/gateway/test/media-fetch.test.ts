import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Worker } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { attachmentSigningKey, createLocalDiskStore, type AttachmentStore } from '@sapa/attachments';
import type { Attachment, MediaFetch } from '@sapa/contracts';
import { createDb, createSecretBox, type DB, type Kysely } from '@sapa/db';
import { createRedis, type Redis } from '@sapa/queue';
import { createLogger, createMetrics } from '@sapa/service-kit';
import { createApiChannel, createTenant, testEnv, type TestTenant } from '@sapa/test-support';
import { buildGatewayApp } from '../src/app.js';
import { fetchMessageMedia, type MediaDeps } from '../src/media/fetch-message-media.js';
import { attachmentAccessFor } from '../src/media/gateway-attachments.js';
import { startMediaWorker } from '../src/media/media-worker.js';
import { startMediaServer } from './helpers/media-server.js';
import { openQueueScope, type QueueScope } from './helpers/queue-scope.js';
import { waitFor } from './helpers/wait-for.js';

const env = testEnv();
const logger = createLogger({ service: 'gateway-test', level: 'silent', pretty: false });
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC', 'base64');
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(56)]);
const signingKey = attachmentSigningKey(env.secretKey);
const PUBLIC = 'https://gw.sapa.example';

let db: Kysely<DB>;
let redis: Redis;
let tenant: TestTenant;
let channelId: string;
let store: AttachmentStore;
let folder: string;
let media: Awaited<ReturnType<typeof startMediaServer>>;
let scope: QueueScope;
let deps: MediaDeps;

beforeAll(async () => {
  db = createDb({ connectionString: env.databaseUrl, max: 4 });
  redis = createRedis(env.redisUrl);
  tenant = await createTenant(db, {});
  channelId = (await createApiChannel(db, tenant.id, { teamId: tenant.teamId })).id;
  folder = await mkdtemp(join(tmpdir(), 'sapa-gw-media-'));
  store = createLocalDiskStore(folder);
  media = await startMediaServer({
    '/ktp.png': { body: PNG, headers: { 'content-type': 'image/png' } },
    '/struk': { body: PNG, headers: { 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename*=UTF-8''struk%20belanja.png` } },
    '/note.txt': { body: Buffer.from('Nomor rekening saya 123'), headers: { 'content-type': 'text/plain' } },
    '/virus.png': { body: ELF, headers: { 'content-type': 'image/png' } },
    '/huge.mp4': { declareLength: 26 * 1024 * 1024, headers: { 'content-type': 'video/mp4' } },
    '/busy': { status: 503 },
  });
});

afterAll(async () => {
  await media.close();
  await redis.quit();
  await db.destroy();
  await rm(folder, { recursive: true, force: true });
});

beforeEach(async () => {
  scope = await openQueueScope(redis);
  deps = {
    db,
    store,
    secretBox: createSecretBox(env.secretKey),
    eventBus: scope.eventBus,
    logger,
    attachmentsFor: (tenantId) => attachmentAccessFor({ db, store, signingKey, publicUrl: () => PUBLIC }, tenantId),
    fetchTimeoutMs: 5000,
    // The test's files are served from 127.0.0.1, which production refuses (public-hosts-only.test.ts).
    allowPrivateHosts: true,
  };
});
afterEach(() => scope.close('media.fetch'));

/** An inbound message of a customer on the api channel, as the router stores it, carrying these files. */
async function inbound(attachments: Attachment[], channel = channelId): Promise<MediaFetch> {
  const contact = await db.insertInto('contacts').values({ tenant_id: tenant.id, name: 'Budi' }).returning('id').executeTakeFirstOrThrow();
  const conversation = await db
    .insertInto('conversations')
    .values({ tenant_id: tenant.id, channel_id: channel, contact_id: contact.id, team_id: tenant.teamId, kind: 'chat', status: 'queued' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const message = await db
    .insertInto('messages')
    .values({ tenant_id: tenant.id, conversation_id: conversation.id, channel_id: channel, direction: 'in', author_type: 'contact', text: null, attachments: JSON.stringify(attachments), status: 'received' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { tenantId: tenant.id, messageId: message.id };
}
const attachmentsOf = async (job: MediaFetch) =>
  (await db.selectFrom('messages').select('attachments').where('id', '=', job.messageId).executeTakeFirstOrThrow()).attachments;
const file = (path: string, contentType: string, filename?: string): Attachment => ({ url: `${media.url}${path}`, contentType, ...(filename && { filename }) });

describe('fetching the files of an inbound message', () => {
  it('keeps a file and names it on the message by id, size and sniffed type', async () => {
    const job = await inbound([file('/ktp.png', 'text/plain', 'ktp.png')]);
    expect(await fetchMessageMedia(deps, job, false)).toBe('stored');
    const [a] = await attachmentsOf(job);
    expect(a).toEqual({ url: `${media.url}/ktp.png`, contentType: 'image/png', filename: 'ktp.png', id: expect.any(String), size: PNG.length });
    const row = await db.selectFrom('attachments').selectAll().where('id', '=', a!.id!).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ tenant_id: tenant.id, channel_id: channelId, origin: 'inbound', content_type: 'image/png', size: PNG.length });
  });

  it("takes the file name from the server's Content-Disposition when the message gave none", async () => {
    const job = await inbound([file('/struk', 'image/png')]);
    await fetchMessageMedia(deps, job, false);
    expect((await attachmentsOf(job))[0]).toMatchObject({ filename: 'struk belanja.png', contentType: 'image/png' });
  });

  it.each([
    ['an executable declared as a picture', '/virus.png', 'image/png', 'attachment_type_refused'],
    ['a file larger than the channel takes', '/huge.mp4', 'video/mp4', 'attachment_too_large'],
    ['a file the server does not have', '/gone', 'image/jpeg', 'attachment_unavailable'],
  ])('records %s on the attachment instead of losing it', async (_why, path, type, error) => {
    const job = await inbound([file(path, type)]);
    await fetchMessageMedia(deps, job, false);
    expect(await attachmentsOf(job)).toEqual([{ ...file(path, type), error }]);
  });

  it('keeps the files it can and retries only the one that may come later; the last attempt records it', async () => {
    const job = await inbound([file('/ktp.png', 'image/png'), file('/busy', 'image/jpeg'), file('/note.txt', 'text/plain')]);
    await expect(fetchMessageMedia(deps, job, false)).rejects.toThrow(/answered 503/);
    const first = await attachmentsOf(job);
    expect(first.map((a) => [a.id !== undefined, a.error])).toEqual([[true, undefined], [false, undefined], [true, undefined]]);

    const hitsBefore = media.hits['/ktp.png'];
    await expect(fetchMessageMedia(deps, job, true)).resolves.toBe('stored');
    expect((await attachmentsOf(job))[1]).toEqual({ ...file('/busy', 'image/jpeg'), error: 'attachment_unavailable' });
    // What was kept is not fetched again.
    expect(media.hits['/ktp.png']).toBe(hitsBefore);
  });

  it('tells the inbox with message.updated, stored files behind gateway links valid 15 minutes', async () => {
    const job = await inbound([file('/ktp.png', 'image/png'), file('/virus.png', 'image/png')]);
    await fetchMessageMedia(deps, job, false);
    const event = await waitFor(async () => scope.events.find((e) => e.type === 'message.updated' && e.data.id === job.messageId), 'message.updated');
    const [kept, refused] = event.data.attachments as Attachment[];
    expect(kept!.url).toMatch(new RegExp(`^${PUBLIC}/attachments/${kept!.id}\\?expires=\\d+&signature=[0-9a-f]{64}$`));
    const expires = Number(new URL(kept!.url).searchParams.get('expires'));
    expect(expires * 1000 - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    expect(refused).toEqual({ ...file('/virus.png', 'image/png'), error: 'attachment_type_refused' });
    expect(event.audience).toEqual({ teamId: tenant.teamId, userIds: [] });
  });

  it('does nothing for a message whose files are all kept, or one that is gone', async () => {
    const job = await inbound([{ ...file('/ktp.png', 'image/png'), error: 'attachment_too_large' }]);
    expect(await fetchMessageMedia(deps, job, false)).toBe('nothing_to_fetch');
    expect(await fetchMessageMedia(deps, { tenantId: tenant.id, messageId: '00000000-0000-4000-8000-000000000000' }, false)).toBe('message_gone');
  });

  it("leaves the files of a channel without a fetcher as the channel's links", async () => {
    const other = await db.insertInto('channels').values({ tenant_id: tenant.id, type: 'voice', name: 'PBX', config: JSON.stringify({}) }).returning('id').executeTakeFirstOrThrow();
    const job = await inbound([file('/ktp.png', 'image/png')], other.id);
    expect(await fetchMessageMedia(deps, job, false)).toBe('no_fetcher');
    expect(await attachmentsOf(job)).toEqual([file('/ktp.png', 'image/png')]);
  });

  it("refuses to fetch a link that is not http(s) and records it (the integrator's URL is never read as a file path)", async () => {
    const job = await inbound([{ url: 'file:///etc/passwd', contentType: 'text/plain' }]);
    await fetchMessageMedia(deps, job, false);
    expect((await attachmentsOf(job))[0]!.error).toBe('attachment_unavailable');
  });
});

describe('the media.fetch worker', () => {
  let worker: Worker<MediaFetch>;
  afterEach(() => worker.close());

  it('runs a queued job to the stored file', async () => {
    worker = startMediaWorker({ ...deps, redis, prefix: scope.prefix });
    const job = await inbound([file('/ktp.png', 'image/png')]);
    await scope.producer.add('media.fetch', job);
    const [a] = await waitFor(async () => {
      const now = await attachmentsOf(job);
      return now[0]?.id ? now : undefined;
    }, 'the stored file');
    expect(a).toMatchObject({ size: PNG.length, contentType: 'image/png' });
  });
});

describe('GET /attachments/{id} on the gateway', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildGatewayApp({ db, redis, prefix: `${env.redisPrefix}:gw-route`, secretBox: createSecretBox(env.secretKey), logger, metrics: createMetrics('gateway'), attachments: { store, signingKey } });
  });
  afterAll(() => app.close());

  const pathOf = (url: string) => url.slice(PUBLIC.length);

  it('serves a file to whoever holds the signed link, as a download', async () => {
    const job = await inbound([file('/ktp.png', 'image/png', 'ktp.png')]);
    await fetchMessageMedia(deps, job, false);
    const [a] = await attachmentsOf(job);
    const res = await app.inject({ method: 'GET', url: pathOf(deps.attachmentsFor(tenant.id).signedUrl(a!.id!)) });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(PNG)).toBe(true);
    expect(res.headers).toMatchObject({ 'content-type': 'image/png', 'content-disposition': `attachment; filename="ktp.png"; filename*=UTF-8''ktp.png`, 'x-content-type-options': 'nosniff' });
  });

  it.each([
    ['a link of another tenant', async (id: string) => pathOf(attachmentAccessFor({ db, store, signingKey, publicUrl: () => PUBLIC }, '00000000-0000-4000-8000-000000000001').signedUrl(id)), 403, 'invalid_signature'],
    ['an expired link', async (id: string) => pathOf(deps.attachmentsFor(tenant.id).signedUrl(id, -1)), 403, 'link_expired'],
    ['a link with its signature changed', async (id: string) => pathOf(deps.attachmentsFor(tenant.id).signedUrl(id)).replace(/signature=./, 'signature=g'), 403, 'invalid_signature'],
    ['an unknown file', async () => pathOf(deps.attachmentsFor(tenant.id).signedUrl('00000000-0000-4000-8000-000000000000')), 404, 'attachment_not_found'],
    ['an id that is no uuid', async () => '/attachments/..%2F..%2Fetc?expires=1&signature=x', 404, 'not_found'],
  ])('refuses %s', async (_why, urlOf, status, code) => {
    const job = await inbound([file('/ktp.png', 'image/png')]);
    await fetchMessageMedia(deps, job, false);
    const [a] = await attachmentsOf(job);
    const res = await app.inject({ method: 'GET', url: await urlOf(a!.id!) });
    expect([res.statusCode, res.json().error.code]).toEqual([status, code]);
  });
});
