import type { EmailChannelSecrets, StoredEmailConfig } from '@sapa/contracts';
import { findAttachment, type AttachmentStore } from '@sapa/attachments';
import type { Db } from '@sapa/db/queries/db-handle';
import { createTransport } from 'nodemailer';
import type { ComposedReply } from './compose-reply.js';
import { SendFailure, smtpFailure } from './send-failure.js';

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
    send.attachments.filter((a) => a.id !== undefined).map(async (a) => {
      const row = a.id ? await findAttachment(deps.db, send.tenantId, a.id) : undefined;
      if (!row) throw new SendFailure(`attachment ${a.id ?? a.filename ?? '(unnamed)'} is not stored; only stored files can be mailed`, false);
      const stream = await deps.store.get(row.storage_key);
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return { filename: row.filename ?? undefined, contentType: row.content_type, content: Buffer.concat(chunks) };
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
