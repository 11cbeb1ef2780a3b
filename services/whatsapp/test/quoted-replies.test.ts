import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { BaileysEventMap } from '@whiskeysockets/baileys';
import { createLocalDiskStore } from '@sapa/attachments';
import { createDb, createSecretBox, type DB, type Kysely } from '@sapa/db';
import { createDelivery } from '@sapa/db/queries/deliveries';
import { createRedis, type Redis } from '@sapa/queue';
import { createLogger, createMetrics } from '@sapa/service-kit';
import { createTenant, testEnv, type TestTenant } from '@sapa/test-support';
import { normaliseMessage, startWhatsapp, type RunningWhatsapp } from '../src/index.js';
import { quoteContextOf } from '../src/outbound/quote-context.js';
import { fakeConnector, fixture } from './fake-socket.js';
import { insertWhatsappChannel, waitFor } from './support.js';

const CUSTOMER = '6281234567890@s.whatsapp.net';

describe('a customer’s quoted reply', () => {
  const [plain, reply] = fixture<BaileysEventMap['messages.upsert']>('messages-upsert-text').messages;

  it('names the quoted message by its stanzaId, and keeps the quoted words before its own', () => {
    expect(normaliseMessage(reply!)).toEqual({
      kind: 'message',
      message: expect.objectContaining({
        externalMessageId: '3EB0D9E8F7A6B5C4D3E2',
        text: '> Mohon kirim bukti transfernya ya kak\n> Terima kasih\n\nYang ini kak, sudah 2 hari',
        replyToExternalId: '3EB05F1E2D3C4B5A6978',
      }),
    });
  });

  it('names none for a message without a quote, nor for an empty contextInfo', () => {
    const [image] = fixture<BaileysEventMap['messages.upsert']>('messages-upsert-media').messages;
    for (const message of [plain!, image!]) {
      const normalised = normaliseMessage(message);
      expect(normalised.kind).toBe('message');
      expect(normalised.kind === 'message' && normalised.message.replyToExternalId).toBeUndefined();
    }
  });
});

describe('the quote of an agent’s reply', () => {
  const customerMessage = { id: randomUUID(), externalId: '3EB05F1E2D3C4B5A6978', direction: 'in' as const, text: 'Sudah 2 hari' };
  const agentMessage = { id: randomUUID(), externalId: '3EB0AAAABBBBCCCCDDDDEE', direction: 'out' as const, text: 'Mohon kirim bukti transfernya' };

  it.each([
    ['the customer’s message, written by their chat', customerMessage, CUSTOMER, undefined, { stanzaId: customerMessage.externalId, participant: CUSTOMER, quotedMessage: { conversation: 'Sudah 2 hari' } }],
    ['the customer’s message in a chat addressed by device', customerMessage, '6281234567890:3@s.whatsapp.net', undefined, { stanzaId: customerMessage.externalId, participant: CUSTOMER, quotedMessage: { conversation: 'Sudah 2 hari' } }],
    ['Sapa’s message, written by the channel’s own number', agentMessage, CUSTOMER, '+6281100000000', { stanzaId: agentMessage.externalId, participant: '6281100000000@s.whatsapp.net', quotedMessage: { conversation: 'Mohon kirim bukti transfernya' } }],
    ['a message of files only, shown by a mark', { ...customerMessage, text: null }, CUSTOMER, undefined, { stanzaId: customerMessage.externalId, participant: CUSTOMER, quotedMessage: { conversation: '📎' } }],
  ])('of %s', (_what, quoted, chat, ownNumber, context) => {
    expect(quoteContextOf(quoted, chat, ownNumber)).toEqual(context);
  });

  it.each([
    ['nothing is quoted', null, undefined],
    ['the quoted message never reached WhatsApp', { ...agentMessage, externalId: null }, '6281100000000'],
    ['Sapa’s message is quoted on a channel whose own number is not known', agentMessage, undefined],
  ])('is none when %s', (_what, quoted, ownNumber) => {
    expect(quoteContextOf(quoted, CUSTOMER, ownNumber)).toBeUndefined();
  });
});

describe('an agent’s reply to a particular message', () => {
  const env = testEnv();
  let db: Kysely<DB>;
  let redis: Redis;
  let tenant: TestTenant;
  let storeDir: string;
  const running: RunningWhatsapp[] = [];

  beforeAll(async () => {
    db = createDb({ connectionString: env.databaseUrl, max: 4 });
    redis = createRedis(env.redisUrl);
    tenant = await createTenant(db);
    storeDir = mkdtempSync(join(tmpdir(), 'sapa-wa-quote-'));
  });
  afterEach(async () => {
    for (const r of running.splice(0)) await r.close();
    await db.updateTable('channels').set({ status: 'disabled' }).where('tenant_id', '=', tenant.id).execute();
  });
  afterAll(async () => {
    await redis.quit();
    await db.destroy();
    rmSync(storeDir, { recursive: true, force: true });
  });

  it('quotes the customer’s message on the message WhatsApp gets', async () => {
    const channelId = await insertWhatsappChannel(db, tenant.id, 'active');
    const fake = fakeConnector();
    const whatsapp = await startWhatsapp({
      db,
      redis,
      prefix: `${env.redisPrefix}:wa-quote-${randomUUID().slice(0, 8)}`,
      secretBox: createSecretBox(env.secretKey),
      store: createLocalDiskStore(storeDir),
      logger: createLogger({ service: 'whatsapp-test', level: 'silent', pretty: false }),
      metrics: createMetrics('whatsapp_quote_test'),
      connect: fake.connect,
      scanIntervalMs: 50,
      reconnectDelayMs: () => 20,
      backoffDelayMs: 10,
      onlyTenants: () => [tenant.id],
    });
    running.push(whatsapp);
    const socket = await waitFor(() => fake.sockets[0]);
    socket.emit('connection.update', fixture('connection-update-open'));
    await waitFor(() => whatsapp.sessions.sessionOf(channelId)?.isConnected);

    const contact = await db.insertInto('contacts').values({ tenant_id: tenant.id, name: 'Budi' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('contact_identities').values({ tenant_id: tenant.id, contact_id: contact.id, channel_id: channelId, external_id: CUSTOMER }).execute();
    const conversation = await db
      .insertInto('conversations')
      .values({ tenant_id: tenant.id, channel_id: channelId, contact_id: contact.id, team_id: tenant.teamId, kind: 'chat', status: 'queued' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const row = { tenant_id: tenant.id, conversation_id: conversation.id, channel_id: channelId };
    const question = await db
      .insertInto('messages')
      .values({ ...row, direction: 'in', author_type: 'contact', text: 'Kapan saldo masuk?', status: 'received', external_id: '3EB0QUESTION000000001' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const answer = await db
      .insertInto('messages')
      .values({ ...row, direction: 'out', author_type: 'agent', text: 'Hari ini, kak', status: 'queued', reply_to_message_id: question.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    const delivery = await createDelivery(db, tenant.id, { messageId: answer.id, conversationId: conversation.id, channelId });
    await whatsapp.producer.add('outbound.whatsapp_baileys', { tenantId: tenant.id, deliveryId: delivery.id, messageId: answer.id, replay: 0 });

    await waitFor(async () => (await db.selectFrom('messages').select('status').where('id', '=', answer.id).executeTakeFirstOrThrow()).status === 'sent');
    expect(socket.sent).toEqual([
      {
        jid: CUSTOMER,
        content: { text: 'Hari ini, kak', contextInfo: { stanzaId: '3EB0QUESTION000000001', participant: CUSTOMER, quotedMessage: { conversation: 'Kapan saldo masuk?' } } },
        messageId: expect.any(String),
      },
    ]);
  });
});
