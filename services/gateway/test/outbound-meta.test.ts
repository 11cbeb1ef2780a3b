import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { DB, Kysely } from '@sapa/db';
import type { Redis } from '@sapa/queue';
import type { TestTenant } from '@sapa/test-support';
import { sendApiFailures, startFakeGraphApi, type FakeGraphApi } from '../../../tests/support/fakes/graph-api.js';
import type { AttachmentAccess } from '../src/channels/channel-adapter.js';
import { instagramChannel, messengerChannel } from '../src/channels/meta-messaging/index.js';
import { openChannel } from '../src/outbound/open-channel.js';
import { insertChannel } from './helpers/channel-rows.js';
import { enqueueDelivery, outboundPerTest, settled as settledFor } from './helpers/outbound-harness.js';
import { deliveryToSend, seedReply, type SeededReply } from './helpers/seed-reply.js';
import { closeTestStores, openTestStores, testSecretBox } from './helpers/test-stores.js';

const PAGE_ID = '108273645517720';
const PAGE_TOKEN = `EAAG${randomUUID().replaceAll('-', '')}`;
const HOUR = 3_600_000;

let db: Kysely<DB>;
let redis: Redis;
let tenant: TestTenant;
let graph: FakeGraphApi;
const channelIds: Record<'messenger' | 'instagram', string> = { messenger: '', instagram: '' };

beforeAll(async () => {
  ({ db, redis, tenant } = await openTestStores());
  graph = await startFakeGraphApi();
  for (const type of ['messenger', 'instagram'] as const) {
    channelIds[type] = await insertChannel(db, tenant.id, {
      type,
      config: { pageId: PAGE_ID, graphApiBase: graph.url },
      secrets: { pageAccessToken: PAGE_TOKEN, appSecret: 'outbound-test-app-secret', verifyToken: 'outbound-verify' },
    });
  }
});

afterAll(async () => {
  await graph.close();
  await closeTestStores({ db, redis });
});

const outbound = outboundPerTest(() => ({ db, redis }), 'outbound.messenger', 'outbound.instagram');

beforeEach(() => {
  graph.requests.length = 0;
});

interface Reply extends SeededReply {
  psid: string;
}

/**
 * A reply waiting to go to a customer whose id on the channel is `psid`, who last wrote `customerWroteAgoMs` ago
 * (none: they never wrote in this conversation).
 */
async function reply(options: { type?: 'messenger' | 'instagram'; text?: string | null; customerWroteAgoMs?: number; authorType?: 'agent' | 'system'; enqueue?: boolean } = {}): Promise<Reply> {
  const type = options.type ?? 'messenger';
  const psid = String(randomInt(1_000_000_000, 9_000_000_000));
  const seeded = await seedReply(db, tenant.id, channelIds[type], {
    teamId: tenant.teamId,
    assigneeId: tenant.users.agent1!.id,
    externalId: psid,
    ...('text' in options && { text: options.text }),
    ...(options.authorType && { authorType: options.authorType }),
  });
  if (options.customerWroteAgoMs !== undefined) {
    await db
      .insertInto('messages')
      .values({
        tenant_id: tenant.id,
        conversation_id: seeded.conversationId,
        channel_id: channelIds[type],
        direction: 'in',
        author_type: 'contact',
        author_id: null,
        text: 'Halo',
        status: 'received',
        external_id: `m_${randomUUID()}`,
        sent_at: new Date(Date.now() - options.customerWroteAgoMs),
      })
      .execute();
  }
  if (options.enqueue !== false) await enqueueDelivery(outbound.scope.producer, `outbound.${type}`, tenant.id, seeded);
  return { ...seeded, psid };
}

const settled = (seeded: SeededReply) => settledFor(db, tenant.id, seeded);

describe('outbound.messenger worker', () => {
  it('answers inside 24 hours with exactly one RESPONSE through the Send API, and keeps its message_id', async () => {
    const seeded = await reply({ text: 'Baik Kak, kami cek dulu ya.', customerWroteAgoMs: 2 * HOUR });

    const outcome = await settled(seeded);
    expect(outcome).toMatchObject({ delivery: 'sent', message: 'sent', attempts: 1, lastError: null });
    expect(graph.requests.map(({ httpMethod, path, headers, body }) => ({ httpMethod, path, authorization: headers.authorization, body }))).toEqual([
      {
        httpMethod: 'POST',
        path: `/v21.0/${PAGE_ID}/messages`,
        authorization: `Bearer ${PAGE_TOKEN}`,
        body: { recipient: { id: seeded.psid }, messaging_type: 'RESPONSE', message: { text: 'Baik Kak, kami cek dulu ya.' } },
      },
    ]);
    expect(outcome.externalId).toMatch(/^m_/);
  });

  it("tags an agent's reply HUMAN_AGENT once the customer has been silent for more than 24 hours", async () => {
    const seeded = await reply({ customerWroteAgoMs: 30 * HOUR });

    expect((await settled(seeded)).delivery).toBe('sent');
    expect(graph.messageSends().map((r) => [r.body.messaging_type, r.body.tag])).toEqual([['MESSAGE_TAG', 'HUMAN_AGENT']]);
  });

  it.each([
    ["Sapa's own message after 24 hours", { customerWroteAgoMs: 30 * HOUR, authorType: 'system' as const }, /only a human agent's reply/],
    ["an agent's reply after 7 days", { customerWroteAgoMs: 8 * 24 * HOUR }, /more than 7 days ago/],
  ])('fails %s at once, without calling Meta', async (_case, options, reason) => {
    const seeded = await reply(options);

    const outcome = await settled(seeded);
    expect(outcome).toMatchObject({ delivery: 'failed', message: 'failed', attempts: 1 });
    expect(outcome.lastError).toMatch(reason);
    expect(graph.requests).toEqual([]);
  });

  it('splits a text longer than 2000 characters over several messages, never inside a character', async () => {
    const text = `${'a'.repeat(1999)}😀${'b'.repeat(10)}`;
    const seeded = await reply({ text, customerWroteAgoMs: HOUR });

    expect((await settled(seeded)).delivery).toBe('sent');
    const texts = graph.messageSends().map((r) => (r.body.message as { text: string }).text);
    expect(texts.map((t) => t.length)).toEqual([1999, 12]);
    expect(texts.join('')).toBe(text);
  });

  it('retries a rate limit (613) and a temporary failure (1200), then sends', async () => {
    graph.failNext(sendApiFailures.rateLimited(), sendApiFailures.temporaryFailure());
    const seeded = await reply({ customerWroteAgoMs: HOUR });

    expect(await settled(seeded)).toMatchObject({ delivery: 'sent', attempts: 3, lastError: null });
  });

  it.each([
    ['the customer is unavailable (551)', sendApiFailures.personUnavailable(), "Graph API answered 400 (code 551): (#551) This person isn't available right now."],
    ['Meta says the window is closed (10)', sendApiFailures.outsideWindow(), 'Graph API answered 400 (code 10): (#10) This message is sent outside of allowed window.'],
  ])('fails at once when %s, quoting Meta and never the token', async (_case, failure, lastError) => {
    graph.failNext(failure);
    const seeded = await reply({ customerWroteAgoMs: HOUR });

    const outcome = await settled(seeded);
    expect(outcome).toMatchObject({ delivery: 'failed', attempts: 1, lastError });
    expect(outcome.lastError).not.toContain(PAGE_TOKEN);
  });
});

describe('outbound.instagram worker', () => {
  it("sends to the customer's IGSID through the Page's Send API, splitting text at 1000 bytes", async () => {
    const text = 'é'.repeat(600);
    const seeded = await reply({ type: 'instagram', text, customerWroteAgoMs: HOUR });

    expect((await settled(seeded)).delivery).toBe('sent');
    const sends = graph.messageSends();
    expect(sends.map((r) => [r.path, r.body.recipient, r.body.messaging_type])).toEqual([
      [`/v21.0/${PAGE_ID}/messages`, { id: seeded.psid }, 'RESPONSE'],
      [`/v21.0/${PAGE_ID}/messages`, { id: seeded.psid }, 'RESPONSE'],
    ]);
    expect(sends.map((r) => Buffer.byteLength((r.body.message as { text: string }).text))).toEqual([1000, 200]);
  });
});

describe('attachments on Messenger and Instagram', () => {
  const attachments: AttachmentAccess = {
    read: () => Promise.reject(new Error('the Send API takes links; nothing is read')),
    signedUrl: (id) => `https://gw.sapa.example/attachments/${id}?sig=abc`,
  };

  it.each<['messenger' | 'instagram', { is_reusable?: boolean }]>([
    ['messenger', { is_reusable: false }],
    ['instagram', {}],
  ])('sends the text, then each file by a signed link of the gateway on %s', async (type, reusable) => {
    const seeded = await reply({ type, text: 'Ini buktinya', customerWroteAgoMs: HOUR, enqueue: false });
    const stored = randomUUID();
    const files = [
      { url: `sapa-attachment:${stored}`, contentType: 'image/png', id: stored, size: 10 },
      { url: 'https://cdn.example.com/katalog.pdf', contentType: 'application/pdf', filename: 'katalog.pdf' },
    ];
    await db.updateTable('messages').set({ attachments: JSON.stringify(files) }).where('id', '=', seeded.messageId).execute();
    const toSend = await deliveryToSend(db, tenant.id, seeded);
    const adapter = type === 'messenger' ? messengerChannel : instagramChannel;

    const result = await adapter.outbound!.send(toSend, openChannel(toSend.channel, testSecretBox), { timeoutMs: 5_000, attachments });

    expect(graph.messageSends().map((r) => r.body.message)).toEqual([
      { text: 'Ini buktinya' },
      { attachment: { type: 'image', payload: { url: `https://gw.sapa.example/attachments/${stored}?sig=abc`, ...reusable } } },
      { attachment: { type: 'file', payload: { url: 'https://cdn.example.com/katalog.pdf', ...reusable } } },
    ]);
    expect(result).toEqual({ externalId: expect.stringMatching(/^m_/) });
  });
});
