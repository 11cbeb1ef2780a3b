import { messageIdOf } from './message-ids.js';

/** What a delivery status notification (RFC 3464) says about one recipient of one of our mails. */
export interface DeliveryReport {
  /** `failed`, `delayed`, `delivered`, `relayed` or `expanded`. */
  action: string;
  /** The enhanced status code, e.g. `5.1.1`. */
  status?: string;
  diagnostic?: string;
  recipient?: string;
  /** The Message-ID of the mail it reports on, from the returned message or its headers. */
  originalMessageId?: string;
}

export interface ReportParts {
  /** The top Content-Type, as mailparser gives it. */
  contentType: { value: string; params?: Record<string, string> } | undefined;
  /** The mail's text: mailparser folds the `message/delivery-status` part into it. */
  text: string;
  /** Parts kept as attachments: the returned `message/rfc822` or `text/rfc822-headers`. */
  attachments: ReadonlyArray<{ contentType: string; content: Buffer }>;
}

/** Whether a mail is a delivery status notification: `multipart/report; report-type=delivery-status`. */
export function isDeliveryReport(contentType: ReportParts['contentType']): boolean {
  return contentType?.value.toLowerCase() === 'multipart/report' && contentType.params?.['report-type']?.toLowerCase() === 'delivery-status';
}

function field(text: string, name: string): string | undefined {
  const m = text.match(new RegExp(`^${name}:[ \\t]*(.+(?:\\r?\\n[ \\t]+.+)*)`, 'im'));
  return m?.[1]?.replace(/\s+/g, ' ').trim();
}

/**
 * Reads a DSN (RFC 3464): the per-recipient fields (Action, Status, Diagnostic-Code, Final-Recipient) and the
 * Message-ID of the returned mail. Undefined for a mail that is not a DSN. A DSN may report several recipients;
 * the first failed one is taken (Sapa's replies have one recipient).
 */
export function readDeliveryReport(parts: ReportParts): DeliveryReport | undefined {
  if (!isDeliveryReport(parts.contentType)) return undefined;
  // The per-recipient blocks follow the per-message block; take the first block that has a failure, else the first.
  const blocks = parts.text.split(/\r?\n\s*\r?\n/).filter((b) => /^Action:/im.test(b));
  const block = blocks.find((b) => /^Action:\s*failed/im.test(b)) ?? blocks[0] ?? '';
  const returned = parts.attachments.find((a) => /^(message\/rfc822|text\/rfc822-headers|message\/global)/i.test(a.contentType));
  const headerText = returned ? headerBlock(returned.content.toString('utf8')) : parts.text;
  const recipient = field(block, 'Final-Recipient') ?? field(block, 'Original-Recipient');
  const report: DeliveryReport = { action: (field(block, 'Action') ?? 'failed').toLowerCase() };
  const status = field(block, 'Status');
  const diagnostic = field(block, 'Diagnostic-Code');
  const original = messageIdOf(field(headerText, 'Message-ID'));
  if (status) report.status = status;
  if (diagnostic) report.diagnostic = diagnostic.slice(0, 500);
  if (recipient) report.recipient = recipient.replace(/^rfc822;\s*/i, '');
  if (original) report.originalMessageId = original;
  return report;
}

/** The header section of a returned message (everything before its first empty line). */
function headerBlock(message: string): string {
  return message.split(/\r?\n\r?\n/)[0] ?? '';
}
