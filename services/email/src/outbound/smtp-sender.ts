import type { EmailChannelSecrets, StoredEmailConfig } from '@sapa/contracts';
import type { AttachmentStore } from '@sapa/attachments';
import type { Db } from '@sapa/db/queries/db-handle';
import { findEmailMessage, findReplyContext, recordEmailMessage } from '@sapa/db/queries/email';
import { SendFailure, type OutboundAdapter } from '@sapa/gateway';
import type { HandlingSettings } from '@sapa/handling';
import { fallbackSubject } from '../texts.js';
import { composeReply } from './compose-reply.js';
import { sendReply } from './send-reply.js';

export interface SmtpSenderDeps {
  db: Db;
  store: AttachmentStore;
  settingsOf: (tenantId: string) => Promise<HandlingSettings>;
}

/**
 * The email channel's sender, for the gateway's delivery model (startOutboundWorkers on `outbound.email`: pending
 * only, retries with backoff, dead letters, `message.updated`). A reply answers the customer's latest mail with
 * threading headers, or the mail the agent chose to answer (a reply to a particular message: In-Reply-To that mail,
 * References its chain); a permanent SMTP refusal is a SendFailure no retry fixes (smtpFailure). Sent: the mail is
 * recorded by its Message-ID, which becomes the message's external id, so bounces and the customer's answer thread on.
 */
export function smtpSender(deps: SmtpSenderDeps): OutboundAdapter {
  return {
    async send(toSend, channel, options) {
      const tenantId = toSend.delivery.tenant_id;
      const config = channel.row.config as unknown as StoredEmailConfig;
      const secrets = channel.secrets as unknown as EmailChannelSecrets;
      const quotedMailId = toSend.replyTo?.externalId;
      const [context, settings, quoted] = await Promise.all([
        findReplyContext(deps.db, tenantId, toSend.channel.id, toSend.conversation.id),
        deps.settingsOf(tenantId),
        quotedMailId ? findEmailMessage(deps.db, tenantId, toSend.channel.id, quotedMailId) : undefined,
      ]);
      const parent = quoted ? { rfcMessageId: quoted.rfc_message_id, references: quoted.references, subject: quoted.subject } : context.lastInbound;
      const to = toSend.recipientExternalId ?? context.lastInbound?.fromAddress;
      if (!to) throw new SendFailure('the conversation has no email address to reply to', false);
      const reply = composeReply({
        messageId: toSend.message.id,
        text: toSend.message.text ?? '',
        fromAddress: config.address,
        fromName: settings.brand,
        to,
        parent,
        threadSubject: context.firstSubject,
        ticketNumber: context.ticketNumber,
        signature: settings.email.signature,
        agentName: toSend.authorName ?? undefined,
        brand: settings.brand,
        fallbackSubject: fallbackSubject(settings.locale, settings.brand),
      });
      await sendReply(deps, { config, secrets, reply, attachments: toSend.message.attachments, tenantId, timeoutMs: options.timeoutMs });
      await recordEmailMessage(deps.db, tenantId, {
        channelId: toSend.channel.id,
        rfcMessageId: reply.messageId,
        direction: 'out',
        messageId: toSend.message.id,
        subject: reply.subject,
        inReplyTo: reply.inReplyTo ?? null,
        references: reply.references,
        fromAddress: reply.from.address,
        toAddresses: [reply.to],
        ccAddresses: [],
      });
      return { externalId: reply.messageId };
    },
  };
}
