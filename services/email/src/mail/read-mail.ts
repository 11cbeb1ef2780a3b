import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { readDeliveryReport, type DeliveryReport } from './delivery-report.js';
import { messageIdOf, messageIdsIn } from './message-ids.js';
import { sanitizeMailHtml } from './sanitize-html.js';

/** A mail Sapa cannot take as a customer's message; it is quarantined, never dropped. */
export class MalformedMail extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedMail';
  }
}

export interface MailAttachment {
  filename?: string;
  contentType: string;
  content: Buffer;
}

/** One mail as the email service uses it, whatever the client that wrote it. */
export interface ReadMail {
  /** Its Message-ID, or one made from its bytes for a mail without any (the same bytes always get the same one). */
  messageId: string;
  from: { address: string; name?: string };
  to: string[];
  cc: string[];
  subject: string | null;
  inReplyTo: string | null;
  references: string[];
  /** The text version agents read (the text part, or the HTML made text). */
  text: string;
  /** The HTML part, sanitised for agents; null for a text-only mail. */
  html: string | null;
  sentAt?: Date;
  attachments: MailAttachment[];
  /** Present when the mail is a delivery status notification about a mail we sent. */
  report?: DeliveryReport;
}

function addresses(value: AddressObject | AddressObject[] | undefined): Array<{ address: string; name?: string }> {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((a) => a.value).flatMap((v) => (v.address ? [{ address: v.address.toLowerCase(), ...(v.name ? { name: v.name } : {}) }] : []));
}

/**
 * Parses a raw RFC 5322 mail (mailparser). Throws MalformedMail for what is not a usable mail: no bytes, no
 * sender address, or bytes mailparser cannot read.
 */
export async function readMail(raw: Buffer): Promise<ReadMail> {
  if (raw.length === 0) throw new MalformedMail('the mail is empty');
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  } catch (err) {
    throw new MalformedMail(`mailparser could not read the mail: ${(err as Error).message}`);
  }
  const from = addresses(parsed.from)[0];
  if (!from) throw new MalformedMail('the mail has no sender address (From)');
  const contentType = parsed.headers.get('content-type') as { value: string; params?: Record<string, string> } | undefined;
  const attachments = parsed.attachments.map((a) => ({
    ...(a.filename ? { filename: a.filename } : {}),
    contentType: a.contentType,
    content: a.content,
  }));
  const html = sanitizeMailHtml(typeof parsed.html === 'string' ? parsed.html : null);
  const report = readDeliveryReport({ contentType, text: parsed.text ?? '', attachments });
  const mail: ReadMail = {
    messageId: messageIdOf(parsed.messageId) ?? `<${createHash('sha256').update(raw).digest('hex').slice(0, 40)}@no-message-id.sapa.invalid>`,
    from,
    to: addresses(parsed.to).map((a) => a.address),
    cc: addresses(parsed.cc).map((a) => a.address),
    subject: parsed.subject?.trim() || null,
    inReplyTo: messageIdOf(parsed.inReplyTo) ?? null,
    references: messageIdsIn(parsed.references),
    text: (parsed.text ?? (html ? htmlToPlain(html) : '')).trim(),
    html,
    attachments: report ? [] : attachments,
  };
  if (parsed.date && !Number.isNaN(parsed.date.getTime())) mail.sentAt = parsed.date;
  if (report) mail.report = report;
  return mail;
}

function htmlToPlain(html: string): string {
  return html.replace(/<br\s*\/?>/gi, '\n').replace(/<\/(p|div|li|tr|h\d)>/gi, '\n').replace(/<[^>]+>/g, '').replace(/\n{3,}/g, '\n\n');
}
