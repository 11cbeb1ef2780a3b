import { describe, expect, it } from '@jest/globals';
import { readDeliveryReport, isDeliveryReport } from '../src/mail/delivery-report.js';
import { messageIdsIn, replyReferences, threadCandidates, MAX_REFERENCES } from '../src/mail/message-ids.js';
import { readMail, MalformedMail } from '../src/mail/read-mail.js';
import { resolveThread } from '../src/mail/resolve-thread.js';
import { sanitizeMailHtml } from '../src/mail/sanitize-html.js';
import { baseSubject, replySubject, ticketNumberIn } from '../src/mail/subject.js';
import { composeReply } from '../src/outbound/compose-reply.js';
import { planSync } from '../src/inbound/sync-plan.js';

describe('Message-IDs as threading reads them', () => {
  it.each([
    ['<a@x.test>', ['<a@x.test>']],
    ['  <a@x.test>\r\n <b@x.test> <a@x.test>', ['<a@x.test>', '<b@x.test>']],
    ['a@x.test', ['<a@x.test>']],
    ['', []],
    [undefined, []],
  ])('reads %j as %j', (value, ids) => expect(messageIdsIn(value)).toEqual(ids));

  it('tries In-Reply-To first, then References from the parent back to the root', () => {
    expect(threadCandidates('<p@x>', '<root@x> <mid@x> <p@x>')).toEqual(['<p@x>', '<mid@x>', '<root@x>']);
    expect(threadCandidates(null, '<root@x> <mid@x>')).toEqual(['<mid@x>', '<root@x>']);
  });

  it('builds a reply\'s References from the parent\'s plus the parent, keeping the root when trimming', () => {
    expect(replyReferences(['<r@x>'], '<p@x>')).toEqual(['<r@x>', '<p@x>']);
    const long = Array.from({ length: 30 }, (_, i) => `<${i}@x>`);
    const trimmed = replyReferences(long, '<p@x>');
    expect(trimmed).toHaveLength(MAX_REFERENCES);
    expect(trimmed[0]).toBe('<0@x>');
    expect(trimmed.at(-1)).toBe('<p@x>');
  });
});

describe('ticket numbers in subjects', () => {
  it.each([
    ['Re: Saldo belum masuk [#2026-000042]', '2026-000042'],
    ['[#T-2026-000042] saldo', '2026-000042'],
    ['Fwd: [Tiket #2026-7] tolong dicek', '2026-7'],
    ['Pesanan #2026-000042 belum sampai', undefined],
    ['Saldo belum masuk', undefined],
    [null, undefined],
  ])('%j names ticket %j', (subject, number) => expect(ticketNumberIn(subject)).toBe(number));

  it.each([
    ['Re: RE: Fwd: Saldo', 'Saldo'],
    ['Balas: Bls: Saldo', 'Saldo'],
    ['Aw[2]: Saldo', 'Saldo'],
    ['Saldo', 'Saldo'],
  ])('strips the prefixes of %j', (subject, base) => expect(baseSubject(subject)).toBe(base));

  it('answers with one Re:, adds the ticket tag once, and falls back on an empty subject', () => {
    expect(replySubject('Re: Saldo belum masuk', undefined, 'x')).toBe('Re: Saldo belum masuk');
    expect(replySubject('Saldo belum masuk', '2026-000042', 'x')).toBe('Re: Saldo belum masuk [#2026-000042]');
    expect(replySubject('Re: Saldo [#2026-000042]', '2026-000042', 'x')).toBe('Re: Saldo [#2026-000042]');
    expect(replySubject('Re: Saldo [#2026-000001]', '2026-000042', 'x')).toBe('Re: Saldo [#2026-000042]');
    expect(replySubject('', undefined, 'Balasan dari Toko')).toBe('Re: Balasan dari Toko');
  });
});

describe('resolveThread', () => {
  const open = (id: string) => ({ conversationId: id, open: true });
  const closed = (id: string) => ({ conversationId: id, open: false });
  it.each([
    ['the parent\'s open conversation', ['<p@x>', '<r@x>'], [['<p@x>', open('c1')], ['<r@x>', open('c2')]], undefined, { kind: 'thread', conversationId: 'c1', via: 'message_id' }],
    ['an older reference when the parent is unknown', ['<p@x>', '<r@x>'], [['<r@x>', open('c2')]], undefined, { kind: 'thread', conversationId: 'c2', via: 'message_id' }],
    ['an open one past a closed one', ['<p@x>', '<r@x>'], [['<p@x>', closed('c1')], ['<r@x>', open('c2')]], undefined, { kind: 'thread', conversationId: 'c2', via: 'message_id' }],
    ['the ticket\'s conversation when no reference is known', ['<p@x>'], [], open('c3'), { kind: 'thread', conversationId: 'c3', via: 'ticket' }],
    ['nothing for a closed thread', ['<p@x>'], [['<p@x>', closed('c1')]], undefined, { kind: 'none', reason: 'thread_closed' }],
    ['nothing for a closed ticket', [], [], closed('c3'), { kind: 'none', reason: 'thread_closed' }],
    ['nothing for an unknown thread', ['<p@x>'], [], undefined, { kind: 'none', reason: 'unknown_thread' }],
    ['nothing for a new mail', [], [], undefined, { kind: 'none', reason: 'no_reference' }],
  ] as const)('finds %s', (_name, candidates, hits, ticket, decision) => {
    expect(resolveThread({ candidates, byMessageId: new Map(hits as never), ...(ticket ? { ticket } : {}) })).toEqual(decision);
  });
});

describe('sanitising HTML for agents', () => {
  it('drops scripts, styles, handlers, forms and remote images, keeps formatting and safe links', () => {
    const html = sanitizeMailHtml(
      '<html><head><style>p{}</style><title>t</title></head><body onload="x()"><p style="color:red" onclick="steal()">Halo <b>CS</b></p>' +
        '<script>alert(1)</script><img src="https://tracker.example/pixel.gif"><img src="cid:logo@x">' +
        '<a href="javascript:alert(1)">klik</a><a href="https://toko.test/pesanan">pesanan</a><form><input name="pin"></form><iframe src="https://x"></iframe></body></html>',
    );
    expect(html).toBe(
      '<p>Halo <b>CS</b></p><img /><img src="cid:logo@x" /><a target="_blank" rel="noopener noreferrer nofollow">klik</a><a href="https://toko.test/pesanan" target="_blank" rel="noopener noreferrer nofollow">pesanan</a>',
    );
  });
  it('gives null for nothing left', () => {
    expect(sanitizeMailHtml('<script>x</script>')).toBeNull();
    expect(sanitizeMailHtml(undefined)).toBeNull();
  });
});

const DSN = [
  'From: MAILER-DAEMON@mx.test',
  'To: cs@toko.test',
  'Subject: Undelivered Mail Returned to Sender',
  'Message-ID: <dsn1@mx.test>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/report; report-type=delivery-status; boundary="BB"',
  '',
  '--BB',
  'Content-Type: text/plain',
  '',
  'Your message could not be delivered.',
  '',
  '--BB',
  'Content-Type: message/delivery-status',
  '',
  'Reporting-MTA: dns; mx.test',
  '',
  'Final-Recipient: rfc822; nobody@pelanggan.test',
  'Action: failed',
  'Status: 5.1.1',
  'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
  '',
  '--BB',
  'Content-Type: message/rfc822',
  '',
  'From: cs@toko.test',
  'To: nobody@pelanggan.test',
  'Subject: Re: hi',
  'Message-ID: <sapa.orig@toko.test>',
  '',
  'body',
  '--BB--',
  '',
].join('\r\n');

describe('delivery status notifications', () => {
  it('recognises only multipart/report with report-type=delivery-status', () => {
    expect(isDeliveryReport({ value: 'multipart/report', params: { 'report-type': 'delivery-status' } })).toBe(true);
    expect(isDeliveryReport({ value: 'multipart/report', params: { 'report-type': 'disposition-notification' } })).toBe(false);
    expect(isDeliveryReport({ value: 'multipart/mixed' })).toBe(false);
  });

  it('reads the failure and the Message-ID of the returned mail', async () => {
    const mail = await readMail(Buffer.from(DSN));
    expect(mail.report).toEqual({
      action: 'failed',
      status: '5.1.1',
      diagnostic: 'smtp; 550 5.1.1 user unknown',
      recipient: 'nobody@pelanggan.test',
      originalMessageId: '<sapa.orig@toko.test>',
    });
    expect(mail.attachments).toEqual([]);
  });

  it('reads the Message-ID from text/rfc822-headers too, and a delay as a delay', () => {
    const report = readDeliveryReport({
      contentType: { value: 'multipart/report', params: { 'report-type': 'delivery-status' } },
      text: 'Final-Recipient: rfc822; a@b\nAction: delayed\nStatus: 4.4.1\n',
      attachments: [{ contentType: 'text/rfc822-headers', content: Buffer.from('From: cs@toko.test\r\nMessage-Id: <x@toko.test>\r\n') }],
    });
    expect(report).toMatchObject({ action: 'delayed', status: '4.4.1', originalMessageId: '<x@toko.test>' });
  });
});

describe('readMail', () => {
  it('reads the parts a conversation needs, with the HTML sanitised and the text kept', async () => {
    const raw = [
      'From: "Budi Santoso" <Budi@Pelanggan.test>',
      'To: cs@toko.test',
      'Cc: istri@pelanggan.test',
      'Subject: Re: Saldo [#2026-000042]',
      'Message-ID: <m2@pelanggan.test>',
      'In-Reply-To: <sapa.1@toko.test>',
      'References: <m1@pelanggan.test> <sapa.1@toko.test>',
      'Date: Mon, 30 Nov 2026 10:00:00 +0700',
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="A"',
      '',
      '--A',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Saldo saya belum masuk.',
      '--A',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>Saldo saya <b>belum</b> masuk.</p><script>x()</script>',
      '--A--',
      '',
    ].join('\r\n');
    const mail = await readMail(Buffer.from(raw));
    expect(mail).toMatchObject({
      messageId: '<m2@pelanggan.test>',
      from: { address: 'budi@pelanggan.test', name: 'Budi Santoso' },
      to: ['cs@toko.test'],
      cc: ['istri@pelanggan.test'],
      subject: 'Re: Saldo [#2026-000042]',
      inReplyTo: '<sapa.1@toko.test>',
      references: ['<m1@pelanggan.test>', '<sapa.1@toko.test>'],
      text: 'Saldo saya belum masuk.',
      html: '<p>Saldo saya <b>belum</b> masuk.</p>',
    });
    expect(mail.sentAt?.toISOString()).toBe('2026-11-30T03:00:00.000Z');
  });

  it('makes a stable Message-ID for a mail without one', async () => {
    const raw = Buffer.from('From: a@b.test\r\nSubject: x\r\n\r\nhi\r\n');
    const [a, b] = [await readMail(raw), await readMail(raw)];
    expect(a.messageId).toMatch(/^<[0-9a-f]{40}@no-message-id\.sapa\.invalid>$/);
    expect(a.messageId).toBe(b.messageId);
  });

  it.each([
    ['an empty mail', ''],
    ['a mail without a sender', 'Subject: hi\r\n\r\nbody\r\n'],
    ['bytes that are not a mail', '\u0000\u0001\u0002garbage without headers'],
  ])('refuses %s as malformed', async (_name, raw) => {
    await expect(readMail(Buffer.from(raw))).rejects.toBeInstanceOf(MalformedMail);
  });
});

describe('composeReply', () => {
  const base = {
    messageId: '7c4f0000-0000-4000-8000-000000000001',
    text: 'Baik Pak Budi, kami cek dulu.',
    fromAddress: 'cs@toko.test',
    fromName: 'Toko Maju',
    to: 'budi@pelanggan.test',
    parent: { rfcMessageId: '<m2@pelanggan.test>', references: ['<m1@pelanggan.test>'], subject: 'Re: Saldo' },
    threadSubject: 'Saldo',
    ticketNumber: '2026-000042',
    signature: 'Salam hangat,\n{agentName}\nLayanan Pelanggan {brand}',
    agentName: 'Sari',
    brand: 'Toko Maju',
    fallbackSubject: 'Balasan dari Toko Maju',
  };
  it('threads under the customer\'s latest mail with the ticket tag and the signature', () => {
    expect(composeReply(base)).toEqual({
      messageId: '<sapa.7c4f0000-0000-4000-8000-000000000001@toko.test>',
      from: { name: 'Toko Maju', address: 'cs@toko.test' },
      to: 'budi@pelanggan.test',
      subject: 'Re: Saldo [#2026-000042]',
      inReplyTo: '<m2@pelanggan.test>',
      references: ['<m1@pelanggan.test>', '<m2@pelanggan.test>'],
      text: 'Baik Pak Budi, kami cek dulu.\n\n-- \nSalam hangat,\nSari\nLayanan Pelanggan Toko Maju\n',
    });
  });
  it('signs a system message with the brand and has no In-Reply-To without a parent', () => {
    const reply = composeReply({ ...base, parent: undefined, threadSubject: null, ticketNumber: undefined, agentName: undefined });
    expect(reply.inReplyTo).toBeUndefined();
    expect(reply.references).toEqual([]);
    expect(reply.subject).toBe('Re: Balasan dari Toko Maju');
    expect(reply.text).toContain('\n-- \nSalam hangat,\nToko Maju\n');
  });
});

describe('planSync (checkpoint and UIDVALIDITY)', () => {
  const created = new Date('2026-11-30T08:30:00Z');
  it('first sync: the mails since the day the channel was created', () => {
    expect(planSync(undefined, { uidValidity: 7, uidNext: 40 }, created)).toEqual({ kind: 'rescan', since: new Date('2026-11-30T00:00:00Z'), reason: 'first_sync' });
  });
  it('same UIDVALIDITY: every UID after the checkpoint', () => {
    expect(planSync({ mailbox: 'INBOX', uidValidity: 7, lastUid: 12, updatedAt: created }, { uidValidity: 7, uidNext: 40 }, created)).toEqual({ kind: 'continue', afterUid: 12 });
  });
  it('a new UIDVALIDITY: rescan from the day before the checkpoint last moved', () => {
    const plan = planSync({ mailbox: 'INBOX', uidValidity: 7, lastUid: 12, updatedAt: new Date('2026-12-05T01:00:00Z') }, { uidValidity: 9, uidNext: 3 }, created);
    expect(plan).toEqual({ kind: 'rescan', since: new Date('2026-12-04T00:00:00Z'), reason: 'uidvalidity_changed' });
  });
});
