import type { Attachment, InboundMessage } from '@sapa/contracts';
import { saveAttachment, storedAttachmentUrl, type AttachmentStore } from '@sapa/attachments';
import type { Db } from '@sapa/db/queries/db-handle';
import { findEmailMessage, findThreadConversations, findTicketConversation, recordEmailMessage, type RefusedEmailAttachment } from '@sapa/db/queries/email';
import { quarantineInbound } from '@sapa/db/queries/inbound-quarantine';
import type { Locale } from '@sapa/handling';
import type { EventBus, Producer } from '@sapa/queue';
import type { Logger } from '@sapa/service-kit';
import { MalformedMail, readMail, type ReadMail } from '../mail/read-mail.js';
import { threadCandidates } from '../mail/message-ids.js';
import { resolveThread } from '../mail/resolve-thread.js';
import { ticketNumberIn } from '../mail/subject.js';
import { refusedAttachmentLines } from '../texts.js';
import { takeBounce } from './take-bounce.js';
import type { MailboxChannel } from './mailbox-context.js';

export interface TakeMailDeps {
  db: Db;
  producer: Producer;
  eventBus: EventBus;
  store: AttachmentStore;
  logger: Logger;
  /** The tenant's language, for the lines about refused attachments. */
  localeOf: (tenantId: string) => Promise<Locale>;
}

/** Where a mail was read: enough to find it again on the server. */
export interface MailOrigin {
  mailbox: string;
  uidValidity: number;
  uid: number;
}

export type TakeOutcome = 'enqueued' | 'bounce' | 'own_mail' | 'quarantined';

/**
 * Takes one mail off the mailbox and resolves only once what it means is durable, so the caller may move the
 * checkpoint past it: a customer's mail is enqueued on `inbound`; a bounce is recorded on the reply it reports;
 * a mail that cannot be read is quarantined. Throws only when Postgres or Redis fail: then the checkpoint stays
 * and the mail is read again.
 */
export async function takeMail(deps: TakeMailDeps, channel: MailboxChannel, origin: MailOrigin, raw: Buffer): Promise<TakeOutcome> {
  let mail: ReadMail;
  try {
    mail = await readMail(raw);
  } catch (err) {
    if (!(err instanceof MalformedMail)) throw err;
    await quarantineMail(deps, channel, origin, raw, err.message);
    return 'quarantined';
  }
  if (mail.report) return takeBounce(deps, channel, mail);
  // Our own replies can come back (the customer put our address in Cc, a server keeps a copy in INBOX): never a
  // customer's message.
  if (mail.from.address === channel.config.address.toLowerCase()) return 'own_mail';

  const known = await findEmailMessage(deps.db, channel.tenantId, channel.channelId, mail.messageId);
  const { attachments, refused } = known
    ? { attachments: known.attachments, refused: known.refused_attachments }
    : await keepAttachments(deps, channel, mail);
  const { conversationHint, answers } = await threadOf(deps.db, channel, mail);
  if (!known) {
    await recordEmailMessage(deps.db, channel.tenantId, {
      channelId: channel.channelId,
      rfcMessageId: mail.messageId,
      direction: 'in',
      subject: mail.subject,
      inReplyTo: mail.inReplyTo,
      references: mail.references,
      fromAddress: mail.from.address,
      toAddresses: mail.to,
      ccAddresses: mail.cc,
      html: mail.html,
      attachments,
      refusedAttachments: refused,
      uidValidity: origin.uidValidity,
      uid: origin.uid,
    });
  }
  const lines = refused.length > 0 ? refusedAttachmentLines(await deps.localeOf(channel.tenantId), refused) : [];
  // A refused file stays on the message with its reason (contract Attachment.error): the agent sees it was sent.
  const onMessage: Attachment[] = [
    ...attachments,
    ...refused.map((r, i) => ({ url: `email-part:refused-${i + 1}`, contentType: r.contentType, size: r.size, error: r.code, ...(r.filename ? { filename: r.filename } : {}) })),
  ];
  const text = [mail.text, ...lines].filter((t) => t.length > 0).join('\n\n');
  const message: InboundMessage = {
    tenantId: channel.tenantId,
    channelId: channel.channelId,
    channelType: 'email',
    externalMessageId: mail.messageId,
    from: { externalId: mail.from.address, email: mail.from.address, ...(mail.from.name ? { name: mail.from.name } : {}) },
    ...(text ? { text } : {}),
    attachments: onMessage,
    ...(mail.sentAt ? { sentAt: mail.sentAt.toISOString() } : {}),
    receivedAt: new Date().toISOString(),
    ...(conversationHint ? { conversationHint } : {}),
    ...(answers ? { replyToExternalId: answers } : {}),
  };
  // The job id comes from (channel, Message-ID): a mail read twice is one job while BullMQ keeps it, and the
  // router's unique (channel, external id) stops it after that.
  await deps.producer.add('inbound', message);
  return 'enqueued';
}

/**
 * The open conversation this mail continues, by its threading headers or the ticket number in its subject; and the
 * mail it answers (In-Reply-To) when that is a mail of this channel, the customer's or Sapa's: the router links them.
 */
async function threadOf(db: Db, channel: MailboxChannel, mail: ReadMail): Promise<{ conversationHint?: string; answers?: string }> {
  const candidates = threadCandidates(mail.inReplyTo, mail.references);
  const hits = await findThreadConversations(db, channel.tenantId, channel.channelId, candidates);
  const answers = mail.inReplyTo && hits.some((h) => h.rfcMessageId === mail.inReplyTo) ? mail.inReplyTo : undefined;
  const number = ticketNumberIn(mail.subject);
  const ticket = number ? await findTicketConversation(db, channel.tenantId, channel.channelId, number) : undefined;
  const decision = resolveThread({
    candidates,
    byMessageId: new Map(hits.map((h) => [h.rfcMessageId, h])),
    ...(ticket ? { ticket } : {}),
  });
  return { ...(decision.kind === 'thread' && { conversationHint: decision.conversationId }), ...(answers && { answers }) };
}

/** Stores each attachment (limits of `email`); one refused is noted, and the mail is still taken. */
async function keepAttachments(deps: TakeMailDeps, channel: MailboxChannel, mail: ReadMail): Promise<{ attachments: Attachment[]; refused: RefusedEmailAttachment[] }> {
  const attachments: Attachment[] = [];
  const refused: RefusedEmailAttachment[] = [];
  for (const a of mail.attachments) {
    try {
      const stored = await saveAttachment(
        { db: deps.db, store: deps.store },
        {
          tenantId: channel.tenantId,
          channelId: channel.channelId,
          limits: 'email',
          origin: 'inbound',
          body: a.content,
          declaredContentType: a.contentType,
          ...(a.filename ? { filename: a.filename } : {}),
        },
      );
      attachments.push({
        url: storedAttachmentUrl(stored.id),
        id: stored.id,
        contentType: stored.contentType,
        size: stored.size,
        ...(stored.filename ? { filename: stored.filename } : {}),
      });
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== 'attachment_too_large' && code !== 'attachment_type_refused') throw err;
      refused.push({ ...(a.filename ? { filename: a.filename } : {}), contentType: a.contentType, size: a.content.length, code });
      deps.logger.info({ tenantId: channel.tenantId, channelId: channel.channelId, code, size: a.content.length }, 'email attachment refused');
    }
  }
  return { attachments, refused };
}

/** Keeps a mail that cannot be taken (inbound_quarantine), with where it was found; the service goes on. */
export async function quarantineMail(deps: TakeMailDeps, channel: MailboxChannel, origin: MailOrigin, raw: Buffer, reason: string): Promise<void> {
  const id = await quarantineInbound(deps.db, {
    tenantId: channel.tenantId,
    channelId: channel.channelId,
    source: 'email',
    reason,
    payload: raw,
    details: { mailbox: origin.mailbox, uidValidity: origin.uidValidity, uid: origin.uid },
  });
  deps.logger.warn({ tenantId: channel.tenantId, channelId: channel.channelId, uid: origin.uid, quarantineId: id, reason }, 'malformed mail quarantined');
}
