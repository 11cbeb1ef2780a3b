import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadMailboxCheckpoint } from '@sapa/db/queries/email';
import { emailHarness, waitFor, type EmailHarness } from './support/email-harness.js';

const customer = { name: 'Budi Santoso', address: 'budi@pelanggan.test' };

/**
 * Issue 8 item 1 against a real Dovecot: mail arrives by SMTP, the email service hears of it over IMAP IDLE, and the
 * checkpoint in Postgres makes restarts and dropped connections fetch nothing twice and miss nothing.
 */
describe('email service against Dovecot', () => {
  let h: EmailHarness;
  beforeAll(async () => {
    h = await emailHarness();
  }, 120_000);
  afterAll(() => h?.close());

  const sendFromCustomer = (to: string, subject: string, text = 'Halo CS') => h.smtp.send({ from: customer, to, subject, text });
  const uidsOf = (channelId: string) => h.mails.filter((m) => m.channelId === channelId).map((m) => m.uid);

  it('takes a mail delivered by SMTP while idling, enqueues it once and moves the checkpoint', async () => {
    const channel = await h.channel();
    const email = await h.start();
    await waitFor(() => email.supervisor.watching().includes(channel.id));
    const sent = await sendFromCustomer(channel.address, 'Saldo belum masuk', 'Saldo saya belum masuk sejak kemarin.');
    const job = await waitFor(async () => (await h.enqueued()).find((m) => m.externalMessageId === sent.messageId));
    expect(job).toMatchObject({
      tenantId: h.tenant.id,
      channelId: channel.id,
      channelType: 'email',
      from: { externalId: 'budi@pelanggan.test', email: 'budi@pelanggan.test', name: 'Budi Santoso' },
      text: 'Saldo saya belum masuk sejak kemarin.',
      attachments: [],
    });
    expect(job.conversationHint).toBeUndefined();
    const row = await h.db.selectFrom('email_messages').selectAll().where('channel_id', '=', channel.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ direction: 'in', subject: 'Saldo belum masuk', from_address: 'budi@pelanggan.test', to_addresses: [channel.address] });
    const checkpoint = await waitFor(async () => {
      const c = await loadMailboxCheckpoint(h.db, h.tenant.id, channel.id);
      return c && c.lastUid >= 1 ? c : undefined;
    });
    expect(checkpoint.lastUid).toBe(1);
    await h.stop(email);
  });

  it('after a restart takes exactly the mails that came meanwhile, none twice', async () => {
    const channel = await h.channel();
    let email = await h.start();
    await sendFromCustomer(channel.address, 'Pertama');
    await waitFor(() => uidsOf(channel.id).length === 1 || undefined);
    await h.stop(email);

    const meanwhile = [];
    for (const subject of ['Kedua', 'Ketiga', 'Keempat']) meanwhile.push((await sendFromCustomer(channel.address, subject)).messageId);
    email = await h.start();
    await waitFor(() => uidsOf(channel.id).length >= 4 || undefined);
    const jobs = (await h.enqueued()).filter((m) => m.channelId === channel.id);
    expect(jobs.map((m) => m.externalMessageId).slice(1)).toEqual(meanwhile);
    // Give a wrongly repeated fetch the chance to show itself before counting.
    await new Promise((r) => setTimeout(r, 500));
    expect(uidsOf(channel.id)).toEqual([1, 2, 3, 4]);
    await h.stop(email);
  });

  it('reconnects after the server drops the connection and misses nothing', async () => {
    const channel = await h.channel();
    const email = await h.start();
    await sendFromCustomer(channel.address, 'Sebelum putus');
    await waitFor(() => uidsOf(channel.id).length === 1 || undefined);
    execFileSync('/usr/bin/doveadm', ['-c', h.dovecot.config, 'kick', channel.address]);
    await sendFromCustomer(channel.address, 'Sesudah putus');
    await waitFor(() => uidsOf(channel.id).length === 2 || undefined);
    await new Promise((r) => setTimeout(r, 300));
    expect(uidsOf(channel.id)).toEqual([1, 2]);
    await h.stop(email);
  });

  it('quarantines a mail it cannot read, moves past it and keeps going', async () => {
    const channel = await h.channel();
    const email = await h.start();
    await waitFor(() => email.supervisor.watching().includes(channel.id));
    h.dovecot.deliver(channel.address, 'Subject: tanpa pengirim\r\nX-Junk: \u0001\u0002\r\n\r\nisi tanpa From\r\n');
    const good = await sendFromCustomer(channel.address, 'Setelah yang rusak');
    await waitFor(async () => (await h.enqueued()).find((m) => m.externalMessageId === good.messageId));
    const quarantined = await h.db.selectFrom('inbound_quarantine').selectAll().where('channel_id', '=', channel.id).execute();
    expect(quarantined).toHaveLength(1);
    expect(quarantined[0]).toMatchObject({ source: 'email', reason: 'the mail has no sender address (From)', details: { mailbox: 'INBOX', uid: 1 } });
    expect(quarantined[0]!.payload.toString()).toContain('isi tanpa From');
    // The mail is reported handled, and the checkpoint moved, only after its job was enqueued: wait for both.
    await waitFor(() => uidsOf(channel.id).length >= 2 || undefined);
    expect(h.mails.filter((m) => m.channelId === channel.id).map((m) => m.outcome)).toEqual(['quarantined', 'enqueued']);
    await waitFor(async () => (await loadMailboxCheckpoint(h.db, h.tenant.id, channel.id))?.lastUid === 2 || undefined);
    await h.stop(email);
  });

  it('stores attachments, and takes the mail with a note when one is too large or of a refused kind', async () => {
    const channel = await h.channel();
    const email = await h.start();
    await waitFor(() => email.supervisor.watching().includes(channel.id));
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2048, 0x20), Buffer.from('\n%%EOF\n')]);
    const big = Buffer.alloc(25 * 1024 * 1024 + 1, 0x41);
    const sent = await h.smtp.send({
      from: customer,
      to: channel.address,
      subject: 'Bukti transfer',
      text: 'Terlampir bukti transfer.',
      attachments: [
        { filename: 'bukti.pdf', content: pdf, contentType: 'application/pdf' },
        { filename: 'rekaman-layar.txt', content: big, contentType: 'text/plain' },
        { filename: 'setup.exe', content: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(512)]), contentType: 'application/x-msdownload' },
      ],
    });
    const job = await waitFor(async () => (await h.enqueued()).find((m) => m.externalMessageId === sent.messageId), 60_000);
    expect(job.attachments).toEqual([
      { url: expect.stringMatching(/^sapa-attachment:/), id: expect.any(String), contentType: 'application/pdf', size: pdf.length, filename: 'bukti.pdf' },
      { url: 'email-part:refused-1', contentType: 'text/plain', size: big.length, error: 'attachment_too_large', filename: 'rekaman-layar.txt' },
      { url: 'email-part:refused-2', contentType: 'application/x-msdownload', size: 514, error: 'attachment_type_refused', filename: 'setup.exe' },
    ]);
    expect(job.text).toBe(
      'Terlampir bukti transfer.\n\n[Lampiran tidak diterima: rekaman-layar.txt (25.0 MB) melebihi batas ukuran]\n\n' +
        '[Lampiran tidak diterima: setup.exe (application/x-msdownload) bukan jenis berkas yang diizinkan]',
    );
    const row = await h.db.selectFrom('email_messages').selectAll().where('rfc_message_id', '=', sent.messageId).executeTakeFirstOrThrow();
    expect(row.refused_attachments.map((r) => r.code)).toEqual(['attachment_too_large', 'attachment_type_refused']);
    await h.stop(email);
  }, 90_000);

  it('rescans after UIDVALIDITY changed, recognising the mails it has by Message-ID', async () => {
    const channel = await h.channel();
    let email = await h.start();
    const first = await sendFromCustomer(channel.address, 'Sebelum');
    await waitFor(() => uidsOf(channel.id).length === 1 || undefined);
    await h.stop(email);
    // As if the server had rebuilt its index: the stored UIDVALIDITY no longer matches.
    await h.db.updateTable('email_mailboxes').set({ uid_validity: 1 }).where('channel_id', '=', channel.id).execute();
    email = await h.start();
    await waitFor(() => uidsOf(channel.id).length === 2 || undefined);
    const second = await sendFromCustomer(channel.address, 'Sesudah');
    await waitFor(async () => (await h.enqueued()).find((m) => m.externalMessageId === second.messageId));
    const jobs = (await h.enqueued()).filter((m) => m.channelId === channel.id).map((m) => m.externalMessageId);
    expect(jobs).toEqual([first.messageId, second.messageId]);
    const row = await h.db.selectFrom('email_mailboxes').selectAll().where('channel_id', '=', channel.id).executeTakeFirstOrThrow();
    expect(row.resyncs).toBe(1);
    expect(await h.db.selectFrom('email_messages').select('id').where('channel_id', '=', channel.id).execute()).toHaveLength(2);
    await h.stop(email);
  }, 60_000);

  it('watches each mailbox from one replica, and takes over a dead holder\'s mailbox once its lease runs out', async () => {
    const channel = await h.channel();
    // A replica that died holding the lease: nobody renews it.
    await h.redis.set(`${h.prefix}:email:lease:${channel.id}`, 'dead-replica', 'PX', 1500);
    const [a, b] = [await h.start({ leaseMs: 1500 }), await h.start({ leaseMs: 1500 })];
    await new Promise((r) => setTimeout(r, 500));
    expect([...a.supervisor.watching(), ...b.supervisor.watching()]).not.toContain(channel.id);
    await waitFor(() => [...a.supervisor.watching(), ...b.supervisor.watching()].includes(channel.id) || undefined, 10_000);
    await new Promise((r) => setTimeout(r, 1000));
    // Never two watchers; none for a moment only while the replicas hand mailboxes over to even out their shares.
    expect([...a.supervisor.watching(), ...b.supervisor.watching()].filter((id) => id === channel.id).length).toBeLessThanOrEqual(1);
    await waitFor(() => [...a.supervisor.watching(), ...b.supervisor.watching()].includes(channel.id) || undefined, 10_000);
    const sent = await sendFromCustomer(channel.address, 'Setelah pindah');
    await waitFor(async () => (await h.enqueued()).find((m) => m.externalMessageId === sent.messageId));
    await h.stop(a);
    await h.stop(b);
  }, 60_000);
});
