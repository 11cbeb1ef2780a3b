import type { EmailChannelSecrets, StoredEmailConfig } from '@sapa/contracts';
import type { AttachmentStore } from '@sapa/attachments';
import type { Db } from '@sapa/db/queries/db-handle';
import { readStoredAttachment } from '@sapa/gateway';
import { createTransport } from 'nodemailer';
import type { ComposedReply } from './compose-reply.js';
import { smtpFailure } from './smtp-failure.js';

export interface SmtpSend {
  config: StoredEmailConfig;
  secrets: EmailChannelSecrets;
  reply: ComposedReply;
  /** The message's stored files (`id` set) to attach. */
  attachments: ReadonlyArray<{ id?: string; url: string; filename?: string; contentType: string; error?: string }>;
  tenantId: string;
  timeoutMs: number;
}

/** Hands one reply to the channel's SMTP server (nodemailer); resolves once the server accepted it. */
export async function sendReply(deps: { db: Db; store: AttachmentStore }, send: SmtpSend): Promise<void> {
  const { smtp } = send.config;
  // Files Sapa holds travel as MIME parts; a file only linked (no `id`) travels as its link in the text.
  const links = send.attachments.filter((a) => a.id === undefined && a.error === undefined).map((a) => a.url);
  const files = await Promise.all(
    send.attachments.flatMap((a) => (a.id === undefined ? [] : [a.id])).map(async (id) => {
      const file = await readStoredAttachment(deps, send.tenantId, id);
      return { filename: file.filename, contentType: file.contentType, content: file.body };
    }),
  );
  const transport = createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: send.secrets.smtpPass ?? '' } } : {}),
    connectionTimeout: send.timeoutMs,
    greetingTimeout: send.timeoutMs,
    socketTimeout: send.timeoutMs,
  });
  const { reply } = send;
  try {
    await transport.sendMail({
      messageId: reply.messageId,
      from: reply.from,
      to: reply.to,
      subject: reply.subject,
      ...(reply.inReplyTo ? { inReplyTo: reply.inReplyTo } : {}),
      ...(reply.references.length > 0 ? { references: reply.references } : {}),
      text: links.length > 0 ? `${reply.text}\n${links.join('\n')}\n` : reply.text,
      attachments: files,
      headers: { 'Auto-Submitted': 'no' },
    });
  } catch (err) {
    throw smtpFailure(err);
  } finally {
    transport.close();
  }
}
