import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { DB, Kysely } from '@sapa/db';
import { recordMessageTemplate } from '@sapa/db/queries/whatsapp-templates';
import type { Redis } from '@sapa/queue';
import { testEnv, type TestTenant } from '@sapa/test-support';
import { graphFailures, startFakeGraphApi, type FakeGraphApi } from '../../../tests/support/fakes/graph-api.js';
import type { OpenedChannel, SendOptions } from '../src/channels/channel-adapter.js';
import { MediaTooLarge } from '../src/channels/download-media.js';
import { whatsappCloudChannel } from '../src/channels/whatsapp-cloud/index.js';
import { mediaTypeFor } from '../src/channels/whatsapp-cloud/outbound-media.js';
import { createSendThrottle } from '../src/outbound/send-throttle.js';
import { openChannel } from '../src/outbound/open-channel.js';
import { insertChannel, openChannelRow } from './helpers/channel-rows.js';
import { failureOf } from './helpers/failure-of.js';
import { deliveryToSend, seedReply } from './helpers/seed-reply.js';
import { storedFiles, type FileToKeep } from './helpers/stored-files.js';
import { closeTestStores, openTestStores, testSecretBox } from './helpers/test-stores.js';

const env = testEnv();
const PHONE_NUMBER_ID = '106540352242922';
const ACCESS_TOKEN = `EAAG${randomUUID().replaceAll('-', '')}`;
const MB = 1024 * 1024;

let db: Kysely<DB>;
let redis: Redis;
let tenant: TestTenant;
let graph: FakeGraphApi;
let channel: OpenedChannel;

beforeAll(async () => {
  ({ db, redis, tenant } = await openTestStores());
  graph = await startFakeGraphApi();
  const id = await insertChannel(db, tenant.id, {
    type: 'whatsapp_cloud',
    name: 'WA CS',
    config: { phoneNumberId: PHONE_NUMBER_ID, graphApiBase: graph.url },
    secrets: { accessToken: ACCESS_TOKEN, appSecret: 'media-test-app-secret', verifyToken: 'media-verify' },
  });
  channel = await openChannelRow(db, id);
});

afterAll(async () => {
  await graph.close();
  await closeTestStores({ db, redis });
});

beforeEach(() => {
  graph.requests.length = 0;
});

describe('whatsapp_cloud media fetcher: GET /{media-id}, then its url, both with the bearer token', () => {
  const fetchMedia = (url: string, maxBytes = 25 * MB) => whatsappCloudChannel.media!.fetch(url, channel, { timeoutMs: 5_000, maxBytes, allowPrivateHosts: true });

  it("downloads a customer's image as Meta documents it", async () => {
    const bytes = randomBytes(5000);
    const id = graph.media.add({ body: bytes, mimeType: 'image/jpeg' });

    const media = await fetchMedia(`whatsapp-media:${id}`);

    expect(media.body.equals(bytes)).toBe(true);
    expect(media.contentType).toBe('image/jpeg');
    const [info, download] = graph.requests;
    expect(info).toMatchObject({ httpMethod: 'GET', path: `/v21.0/${id}?phone_number_id=${PHONE_NUMBER_ID}` });
    expect(download!.path).toMatch(new RegExp(`^/whatsapp_business/attachments/\\?mid=${id}&`));
    expect([info!.headers.authorization, download!.headers.authorization]).toEqual([`Bearer ${ACCESS_TOKEN}`, `Bearer ${ACCESS_TOKEN}`]);
  });

  it('fails for good, before downloading, on a file over the channel limit (file_size)', async () => {
    const id = graph.media.add({ body: randomBytes(2048), mimeType: 'video/mp4' });
    const failure = await failureOf(fetchMedia(`whatsapp-media:${id}`, 1024));
    expect(failure).toBeInstanceOf(MediaTooLarge);
    expect(failure.retryable).toBe(false);
    expect(graph.requests).toHaveLength(1);
  });

  it.each([
    ['a media id Meta does not hold (Graph 400, code 100/33)', () => 'whatsapp-media:1234567890123', /code 100/],
    ['a file Meta has deleted (its link 404s)', () => {
      const id = graph.media.add({ body: randomBytes(10), mimeType: 'image/png' });
      graph.media.remove(id);
      return `whatsapp-media:${id}`;
    }, /answered 404/],
    ['a url that is not a whatsapp-media link', () => 'https://example.com/x.jpg', /whatsapp-media:<media id>/],
  ])('fails for good on %s', async (_what, url, reason) => {
    const failure = await failureOf(fetchMedia(url()));
    expect(failure.retryable).toBe(false);
    expect(failure.message).toMatch(reason);
    expect(failure.message).not.toContain(ACCESS_TOKEN);
  });
});

describe('whatsapp_cloud outbound: templates, files and rate limits', () => {
  const { attachments, keep } = storedFiles('WhatsApp');
  const options = (extra: Partial<SendOptions> = {}): SendOptions => ({ timeoutMs: 5_000, attachments, ...extra });

  /** A reply in the database as the inbox API leaves it, read back as the worker reads it. */
  async function delivery(text: string | null, files: FileToKeep[] = [], template?: { name: string; language: string; components: unknown[] }) {
    const waId = `628${randomInt(100_000_000, 999_999_999)}`;
    const seeded = await seedReply(db, tenant.id, channel.row.id, { teamId: tenant.teamId, assigneeId: tenant.users.agent1!.id, text, externalId: waId, attachments: files.map(keep) });
    if (template) await recordMessageTemplate(db, tenant.id, seeded.messageId, template);
    return { toSend: await deliveryToSend(db, tenant.id, seeded), waId };
  }

  it('sends a template exactly as the Cloud API documents it', async () => {
    const components = [{ type: 'body', parameters: [{ type: 'text', text: 'INV-0042' }] }];
    const { toSend, waId } = await delivery('[template: follow_up_order (id)]', [], { name: 'follow_up_order', language: 'id', components });

    const result = await whatsappCloudChannel.outbound!.send(toSend, channel, options());

    expect(graph.messageSends().map((r) => [r.path, r.body])).toEqual([
      [
        `/v21.0/${PHONE_NUMBER_ID}/messages`,
        { messaging_product: 'whatsapp', recipient_type: 'individual', to: waId, type: 'template', template: { name: 'follow_up_order', language: { code: 'id' }, components } },
      ],
    ]);
    expect(result?.externalId).toMatch(/^wamid\./);
  });

  it('sends a template without variables without components', async () => {
    const { toSend } = await delivery('[template: still_there (id)]', [], { name: 'still_there', language: 'id', components: [] });
    await whatsappCloudChannel.outbound!.send(toSend, channel, options());
    expect(graph.messageSends()[0]!.body.template).toEqual({ name: 'still_there', language: { code: 'id' } });
  });

  it('uploads a stored image (multipart file, type, messaging_product) and sends it by id with the text as caption', async () => {
    const image = randomBytes(4000);
    const { toSend } = await delivery('Ini buktinya, Pak.', [{ contentType: 'image/png', body: image, filename: 'bukti.png' }]);

    const result = await whatsappCloudChannel.outbound!.send(toSend, channel, options());

    const upload = graph.media.uploads.at(-1)!;
    expect(upload).toMatchObject({ mimeType: 'image/png', filename: 'bukti.png', phoneNumberId: PHONE_NUMBER_ID });
    expect(upload.body.equals(image)).toBe(true);
    expect(graph.requests.map((r) => `${r.httpMethod} ${r.path}`)).toEqual([`POST /v21.0/${PHONE_NUMBER_ID}/media`, `POST /v21.0/${PHONE_NUMBER_ID}/messages`]);
    expect(graph.messageSends()[0]!.body).toMatchObject({ type: 'image', image: { id: upload.id, caption: 'Ini buktinya, Pak.' } });
    expect(result?.externalId).toMatch(/^wamid\./);
  });

  it('sends one message per file; a voice note takes no caption, so the words go first', async () => {
    const { toSend } = await delivery('Rekaman dan formulirnya', [
      { contentType: 'audio/ogg', body: randomBytes(100) },
      { contentType: 'application/pdf', body: randomBytes(200), filename: 'formulir.pdf' },
    ]);
    await whatsappCloudChannel.outbound!.send(toSend, channel, options());
    const [audio, pdf] = graph.media.uploads.slice(-2);
    expect(graph.messageSends().map((r) => r.body.type === 'text' ? r.body.text : r.body[r.body.type as string])).toEqual([
      { body: 'Rekaman dan formulirnya' },
      { id: audio!.id },
      { id: pdf!.id, filename: 'formulir.pdf' },
    ]);
  });

  it.each([
    ['a photo', 'image/jpeg', 1000, 'image'],
    ['a PNG', 'image/png; charset=binary', 1000, 'image'],
    ['a photo over 5 MB, as a document', 'image/jpeg', 6 * MB, 'document'],
    ['a video', 'video/mp4', MB, 'video'],
    ['a voice note', 'audio/ogg', MB, 'audio'],
    ['a PDF', 'application/pdf', 30 * MB, 'document'],
    ['a webp sticker, as a document', 'image/webp', 1000, 'document'],
  ])('sends %s as %s', (_what, contentType, size, type) => {
    expect(mediaTypeFor(contentType, size)).toBe(type);
  });

  it('fails for good on a file over 100 MB', () => {
    expect(() => mediaTypeFor('application/zip', 101 * MB)).toThrow(/at most 100 MB/);
  });

  it.each([
    ['a 429 throughput limit (130429) with Retry-After', graphFailures.rateLimited(2), 2000],
    ['the pair rate limit (131056)', graphFailures.pairRateLimited(), undefined],
    ["the account's rate limit (80007)", graphFailures.accountRateLimited(), undefined],
  ])('hands back %s as retryable, with the wait Meta asked for', async (_what, failure, retryAfterMs) => {
    graph.failNext(failure);
    const { toSend } = await delivery('Halo');
    const err = await failureOf(whatsappCloudChannel.outbound!.send(toSend, channel, options()));
    expect([err.retryable, err.retryAfterMs]).toEqual([true, retryAfterMs]);
  });
});

describe('the per-number throughput (a Redis GCRA bucket shared by replicas)', () => {
  const prefix = () => `${env.redisPrefix}:throttle-${randomUUID()}`;

  it('spaces reservations one interval apart and refuses, reserving nothing, past the longest wait', async () => {
    const throttle = createSendThrottle(redis, prefix());
    const waits = [];
    for (let i = 0; i < 3; i++) waits.push(await throttle.reserve('whatsapp:1', 1, 10_000));
    expect(waits.map((w) => w.granted)).toEqual([true, true, true]);
    expect(waits[0]!.waitMs).toBe(0);
    expect(waits[1]!.waitMs).toBeGreaterThan(500);
    expect(waits[2]!.waitMs).toBeGreaterThan(waits[1]!.waitMs + 500);

    const refused = await throttle.reserve('whatsapp:1', 1, 100);
    expect(refused.granted).toBe(false);
    // Nothing was reserved by the refusal: the next turn is still the one after the third.
    expect((await throttle.reserve('whatsapp:1', 1, 10_000)).waitMs).toBeLessThanOrEqual(refused.waitMs);
  });

  it('keeps numbers apart', async () => {
    const throttle = createSendThrottle(redis, prefix());
    await throttle.reserve('whatsapp:1', 1, 10_000);
    expect(await throttle.reserve('whatsapp:2', 1, 10_000)).toEqual({ granted: true, waitMs: 0 });
  });

  it('lets a tenth of a second of the rate go at once (80/s: 8), then spaces the rest', async () => {
    const throttle = createSendThrottle(redis, prefix());
    // Sent together, so Redis takes them back to back: a loop of awaits on a slow machine can let a slot's
    // 12.5 ms pass between two calls, and then the ninth rightly need not wait.
    const waits = (await Promise.all(Array.from({ length: 16 }, () => throttle.reserve('whatsapp:1', 80, 10_000)))).map((r) => r.waitMs).sort((a, b) => a - b);
    expect(waits.slice(0, 8).every((w) => w <= 13)).toBe(true);
    // Eight more past the burst: the last one's turn is about 8 × 12.5 ms away.
    expect(waits[15]).toBeGreaterThan(50);
    expect(waits[15]).toBeLessThanOrEqual(100);
  });

  it("makes the adapter hand a send back, retryable after the wait, when the number's queue is too long", async () => {
    const slow = openChannel({ ...channel.row, config: { ...channel.row.config, messagesPerSecond: 1 } }, testSecretBox);
    const throttle = createSendThrottle(redis, prefix());
    const seeded = await seedReply(db, tenant.id, channel.row.id, { teamId: tenant.teamId, assigneeId: tenant.users.agent1!.id, text: 'Satu' });
    const first = await deliveryToSend(db, tenant.id, seeded);
    await whatsappCloudChannel.outbound!.send(first, slow, { timeoutMs: 200, attachments: { read: () => Promise.reject(new Error('none')), signedUrl: () => '' }, throttle });
    const err = await failureOf(whatsappCloudChannel.outbound!.send(first, slow, { timeoutMs: 200, attachments: { read: () => Promise.reject(new Error('none')), signedUrl: () => '' }, throttle }));
    expect(err.retryable).toBe(true);
    expect(err.retryAfterMs).toBeGreaterThan(200);
    expect(graph.messageSends()).toHaveLength(1);
  });
});
