import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDelivery } from '@sapa/db/queries/deliveries';
import { recordEmailMessage } from '@sapa/db/queries/email';
import { createProducer, type Producer } from '@sapa/queue';
import { emailHarness, waitFor, type EmailHarness } from './support/email-harness.js';

const customer = { name: 'Budi Santoso', address: 'budi@pelanggan.test' };

/** Quoted replies on email: In-Reply-To names the mail answered, both ways, against a real Dovecot and SMTP server. */
describe('email quoted replies', () => {
  let h: EmailHarness;
  let producer: Producer;
  beforeAll(async () => {
    h = await emailHarness();
    producer = createProducer(h.redis, h.prefix);
  }, 120_000);
  afterAll(async () => {
    await producer?.close();
    await h?.close();
  });

  /** A conversation of the channel holding the customer's mails, as the router stores them (messages.external_id: the Message-ID). */
  async function conversationWith(channelId: string, mails: Array<{ rfcMessageId: string; subject: string; references?: string[] }>) {
    const contact = await h.db.insertInto('contacts').values({ tenant_id: h.tenant.id, name: customer.name, email: customer.address }).returning('id').executeTakeFirstOrThrow();
    await h.db.insertInto('contact_identities').values({ tenant_id: h.tenant.id, contact_id: contact.id, channel_id: channelId, external_id: customer.address }).execute();
    const conversation = await h.db
      .insertInto('conversations')
      .values({ tenant_id: h.tenant.id, channel_id: channelId, contact_id: contact.id, team_id: h.tenant.teamId, kind: 'email', status: 'assigned', assignee_id: h.tenant.users.agent1!.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    const ids: string[] = [];
    for (const [i, mail] of mails.entries()) {
      const row = await h.db
        .insertInto('messages')
        .values({ tenant_id: h.tenant.id, conversation_id: conversation.id, channel_id: channelId, direction: 'in', author_type: 'contact', text: mail.subject, status: 'received', external_id: mail.rfcMessageId, created_at: new Date(Date.now() - 60_000 + i * 1000) })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordEmailMessage(h.db, h.tenant.id, {
        channelId,
        rfcMessageId: mail.rfcMessageId,
        direction: 'in',
        subject: mail.subject,
        inReplyTo: null,
        references: mail.references ?? [],
        fromAddress: customer.address,
        toAddresses: [],
        ccAddresses: [],
      });
      ids.push(row.id);
    }
    return { conversationId: conversation.id, messageIds: ids };
  }

  it('hands on the In-Reply-To of a customer’s mail when it names a mail of the channel, and not otherwise', async () => {
    const channel = await h.channel();
    const known = `<${randomUUID()}@pelanggan.test>`;
    await conversationWith(channel.id, [{ rfcMessageId: known, subject: 'Saldo belum masuk' }]);
    const email = await h.start();
    await waitFor(() => email.supervisor.watching().includes(channel.id));

    const answer = await h.smtp.send({ from: customer, to: channel.address, subject: 'Re: Saldo belum masuk', text: 'Ini buktinya', inReplyTo: known, references: [known] });
    const stranger = await h.smtp.send({ from: customer, to: channel.address, subject: 'Re: lama', text: 'Yang dulu', inReplyTo: '<older-than-sapa@pelanggan.test>' });
    const jobs = await waitFor(async () => {
      const all = await h.enqueued();
      const pair = [answer, stranger].map((s) => all.find((m) => m.externalMessageId === s.messageId));
      return pair.every(Boolean) ? pair : undefined;
    });
    expect(jobs[0]).toMatchObject({ replyToExternalId: known });
    expect(jobs[1]!.replyToExternalId).toBeUndefined();
    await h.stop(email);
  });

  it('sends an agent’s reply to a particular mail In-Reply-To that mail, not the customer’s latest', async () => {
    const channel = await h.channel();
    const root = `<${randomUUID()}@pelanggan.test>`;
    const question = `<${randomUUID()}@pelanggan.test>`;
    const latest = `<${randomUUID()}@pelanggan.test>`;
    const { conversationId, messageIds } = await conversationWith(channel.id, [
      { rfcMessageId: root, subject: 'Saldo belum masuk' },
      { rfcMessageId: question, subject: 'Re: Saldo belum masuk', references: [root] },
      { rfcMessageId: latest, subject: 'Re: Saldo belum masuk', references: [root, question] },
    ]);
    const answer = await h.db
      .insertInto('messages')
      .values({ tenant_id: h.tenant.id, conversation_id: conversationId, channel_id: channel.id, direction: 'out', author_type: 'agent', author_id: h.tenant.users.agent1!.id, text: 'Untuk pertanyaan ini: sudah kami cek.', status: 'queued', reply_to_message_id: messageIds[1]! })
      .returning('id')
      .executeTakeFirstOrThrow();
    const delivery = await createDelivery(h.db, h.tenant.id, { messageId: answer.id, conversationId, channelId: channel.id });
    const email = await h.start();
    await producer.add('outbound.email', { tenantId: h.tenant.id, deliveryId: delivery.id, messageId: answer.id, replay: 0 });

    const sent = await waitFor(() => h.smtp.received.find((m) => m.parsed.text?.startsWith('Untuk pertanyaan ini')));
    expect(sent.parsed.inReplyTo).toBe(question);
    expect(sent.parsed.references).toEqual([root, question]);
    await h.stop(email);
  });
});
