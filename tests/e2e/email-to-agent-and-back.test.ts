import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLocalDiskStore } from '@sapa/attachments';
import { createSecretBox } from '@sapa/db';
import { startEmail, type RunningEmail } from '@sapa/email';
import { createRedis } from '@sapa/queue';
import { createLogger } from '@sapa/service-kit';
import { createTenant, testEnv, type TestTenant } from '@sapa/test-support';
import { ensureDovecot, newMailbox, startSmtpServer, type Dovecot, type SmtpServer } from '../../services/email/test/support/mail-servers.js';
import { startStack, waitFor } from '../support/stack.js';

const BUDI = { name: 'Budi Santoso', address: 'budi@pelanggan.test' };

/**
 * Issue 8 item 1, the whole path: an admin creates an email channel on a real Dovecot mailbox; a customer's mail
 * arrives by SMTP and is heard over IMAP IDLE; the router assigns it; the agent replies through the API and the
 * SMTP server receives a reply threaded under the customer's mail with the tenant's signature; the customer's answer
 * (and a colleague's, in the same thread) lands in the same conversation; a bounce of the reply marks it failed.
 */
describe('a customer mail reaches the right agent, the reply goes back threaded, and the answers stay in the conversation', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let dovecot: Dovecot;
  let smtp: SmtpServer;
  let email: RunningEmail;
  let tenant: TestTenant;
  const redis = createRedis(testEnv().redisUrl);

  beforeAll(async () => {
    dovecot = await ensureDovecot();
    smtp = await startSmtpServer(dovecot, { login: { user: 'sapa-relay', pass: 'relay-rahasia' } });
    stack = await startStack();
    tenant = await createTenant(stack.db);
    email = await startEmail({
      db: stack.db,
      redis,
      prefix: stack.prefix,
      secretBox: createSecretBox(testEnv().secretKey),
      store: createLocalDiskStore(mkdtempSync(join(tmpdir(), 'sapa-e2e-mail-'))),
      logger: createLogger({ service: 'email-e2e', level: 'warn', pretty: false }),
      scanMs: 200,
      reconnectMs: 100,
      maxReconnectMs: 500,
      onlyTenants: () => [tenant.id],
    });
  }, 120_000);

  afterAll(async () => {
    await email?.close();
    await stack?.close();
    await smtp?.close();
    await redis.quit();
  });

  it('walks the whole path', async () => {
    const box = newMailbox(dovecot);
    const created = await stack.api('POST', '/v1/channels', tenant.users.admin!.token, {
      type: 'email',
      name: 'CS Toko',
      config: {
        address: box.address,
        imap: { host: dovecot.host, port: dovecot.port, secure: false, user: box.address, pass: box.password },
        smtp: { host: smtp.host, port: smtp.port, secure: false, user: 'sapa-relay', pass: 'relay-rahasia' },
      },
    });
    expect(created.status).toBe(201);
    const channelId = created.body.id as string;
    await waitFor(() => (email.supervisor.watching().includes(channelId) ? true : undefined), 10_000);

    const agent = tenant.users.agent1!;
    await stack.api('PUT', '/v1/agents/me/presence', agent.token, { status: 'online' });
    const live = await stack.stream(agent.token);

    const first = await smtp.send({
      from: BUDI,
      to: box.address,
      subject: 'Saldo belum masuk',
      text: 'Saldo saya belum masuk sejak kemarin.',
      html: '<p>Saldo saya <b>belum masuk</b> sejak kemarin.</p><script>alert(1)</script><img src="x" onerror="alert(2)">',
    });
    const assigned = await waitFor(() => live.frames.find((f) => f.type === 'conversation.assigned'), 15_000);
    expect(assigned.data).toMatchObject({ assigneeId: agent.id, status: 'assigned', channelId, channelType: 'email', contact: { name: 'Budi Santoso' } });
    const conversationId = assigned.data.id as string;

    const reply = await stack.api('POST', `/v1/conversations/${conversationId}/messages`, agent.token, { text: 'Baik Pak Budi, kami cek dulu ya.' });
    expect(reply.status).toBe(201);
    await waitFor(() => live.frames.find((f) => f.type === 'message.updated' && f.data.id === reply.body.id && f.data.status === 'sent'), 15_000);
    const out = smtp.received.filter((m) => m.envelope.to.includes(BUDI.address));
    expect(out).toHaveLength(1);
    const sent = out[0]!;
    const agentName = (await stack.db.selectFrom('users').select('name').where('id', '=', agent.id).executeTakeFirstOrThrow()).name;
    expect(sent.auth).toBe('sapa-relay');
    expect(sent.parsed.inReplyTo).toBe(first.messageId);
    expect(sent.parsed.references).toBe(first.messageId);
    expect(sent.parsed.subject).toBe('Re: Saldo belum masuk');
    expect(sent.parsed.from?.value[0]?.address).toBe(box.address);
    expect(sent.parsed.text).toBe(`Baik Pak Budi, kami cek dulu ya.\n\n-- \nSalam hangat,\n${agentName}\nLayanan Pelanggan Sapa\n`);
    const replyMessageId = sent.parsed.messageId!;

    // The customer answers in the thread, and so does his wife from her own address (Cc'd): both join the conversation.
    const answer = await smtp.send({
      from: BUDI,
      to: box.address,
      subject: `Re: ${sent.parsed.subject}`,
      text: 'Terima kasih, saya tunggu.',
      inReplyTo: replyMessageId,
      references: [first.messageId, replyMessageId],
    });
    const colleague = await smtp.send({
      from: { name: 'Sri', address: 'sri@pelanggan.test' },
      to: box.address,
      subject: `Re: ${sent.parsed.subject}`,
      text: 'Saya juga transfer dari rekening yang sama.',
      inReplyTo: answer.messageId,
      references: [first.messageId, replyMessageId, answer.messageId],
    });
    const messages = await waitFor(async () => {
      const list = await stack.api('GET', `/v1/conversations/${conversationId}/messages`, agent.token);
      return list.body.items.length === 4 ? list.body.items : undefined;
    }, 15_000);
    expect(messages.map((m: { direction: string; text: string }) => [m.direction, m.text])).toEqual([
      ['in', 'Saldo saya belum masuk sejak kemarin.'],
      ['out', 'Baik Pak Budi, kami cek dulu ya.'],
      ['in', 'Terima kasih, saya tunggu.'],
      ['in', 'Saya juga transfer dari rekening yang sama.'],
    ]);
    // Agents see the mail itself too: subject, addresses, and its HTML with nothing left that runs.
    expect(messages[0].email).toMatchObject({ subject: 'Saldo belum masuk', from: BUDI.address, to: [box.address], bounce: null });
    expect(messages[0].email.html).toContain('<b>belum masuk</b>');
    expect(messages[0].email.html).not.toMatch(/<script|onerror/);
    expect(messages[1].email).toMatchObject({ subject: 'Re: Saldo belum masuk', html: null, bounce: null });
    const conversations = await stack.db.selectFrom('conversations').select('id').where('tenant_id', '=', tenant.id).execute();
    expect(conversations).toEqual([{ id: conversationId }]);
    expect(colleague.messageId).toBeTruthy();

    // The reply bounces: the mail system's report marks it failed with the reason, and is no customer message.
    const dsn = [
      `From: Mail Delivery System <MAILER-DAEMON@mx.pelanggan.test>`,
      `To: ${box.address}`,
      'Subject: Undelivered Mail Returned to Sender',
      'Message-ID: <dsn-e2e@mx.pelanggan.test>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="R"',
      '',
      '--R',
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      '--R',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.pelanggan.test',
      '',
      `Final-Recipient: rfc822; ${BUDI.address}`,
      'Action: failed',
      'Status: 5.2.2',
      'Diagnostic-Code: smtp; 552 5.2.2 mailbox full',
      '--R',
      'Content-Type: text/rfc822-headers',
      '',
      `From: ${box.address}`,
      `Message-ID: ${replyMessageId}`,
      '--R--',
      '',
    ].join('\r\n');
    dovecot.deliver(box.address, dsn);
    await waitFor(() => live.frames.find((f) => f.type === 'message.updated' && f.data.id === reply.body.id && f.data.status === 'failed'), 15_000);
    const after = await stack.api('GET', `/v1/conversations/${conversationId}/messages`, agent.token);
    expect(after.body.items).toHaveLength(4);
    expect(after.body.items[1]).toMatchObject({ id: reply.body.id, status: 'failed', email: { bounce: { action: 'failed', status: '5.2.2' } } });
    const failed = await stack.api('GET', '/v1/deliveries?status=failed', tenant.users.admin!.token);
    expect(failed.body.items).toEqual([expect.objectContaining({ messageId: reply.body.id, lastError: expect.stringContaining('5.2.2') })]);
    live.close();
  }, 90_000);
});
