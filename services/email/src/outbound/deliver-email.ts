import type { EmailChannelSecrets, OutboundDelivery, StoredEmailConfig } from '@sapa/contracts';
import type { AttachmentStore } from '@sapa/attachments';
import type { SecretBox } from '@sapa/db';
import type { Db } from '@sapa/db/queries/db-handle';
import { findDeliveryToSend, markDeliveryFailed, markDeliverySent, recordDeliveryAttempt } from '@sapa/db/queries/deliveries';
import { findReplyContext, recordEmailMessage } from '@sapa/db/queries/email';
import type { HandlingSettings } from '@sapa/handling';
import { UnrecoverableError, type EventBus } from '@sapa/queue';
import type { Logger } from '@sapa/service-kit';
import { publishMessageUpdated } from '../publish-message-updated.js';
import { fallbackSubject } from '../texts.js';
import { composeReply } from './compose-reply.js';
import { SendFailure } from './send-failure.js';
import { sendReply } from './send-reply.js';

export interface DeliverEmailDeps {
  db: Db;
  secretBox: SecretBox;
  eventBus: EventBus;
  logger: Logger;
  store: AttachmentStore;
  settingsOf: (tenantId: string) => Promise<HandlingSettings>;
  sendTimeoutMs: number;
}

/**
 * One attempt at one delivery on an email channel, with the gateway's delivery model (services/gateway
 * outbound/deliver.ts): only a `pending` delivery of this replay is sent; a failure with attempts left is recorded
 * and thrown for BullMQ's backoff; the last attempt, or a permanent SMTP refusal, marks delivery and message `failed`.
 * Sent: the Message-ID becomes the message's external id, which bounces and the customer's answer thread on.
 */
export async function deliverEmail(deps: DeliverEmailDeps, payload: OutboundDelivery, isLastAttempt: boolean): Promise<'sent' | 'skipped'> {
  const { tenantId, deliveryId } = payload;
  const toSend = await findDeliveryToSend(deps.db, tenantId, deliveryId);
  if (!toSend || toSend.delivery.status !== 'pending' || toSend.delivery.replays !== payload.replay) return 'skipped';
  const publish = (status: 'sent' | 'failed') =>
    publishMessageUpdated(deps.eventBus, deps.logger, { tenantId, messageId: toSend.message.id, conversation: toSend.conversation, status });

  let reply;
  try {
    const config = toSend.channel.config as unknown as StoredEmailConfig;
    const secrets = toSend.channel.secrets_enc ? deps.secretBox.open<EmailChannelSecrets>(toSend.channel.secrets_enc) : { imapPass: '' };
    const [context, settings] = await Promise.all([
      findReplyContext(deps.db, tenantId, toSend.channel.id, toSend.conversation.id),
      deps.settingsOf(tenantId),
    ]);
    const to = toSend.recipientExternalId ?? context.lastInbound?.fromAddress;
    if (!to) throw new SendFailure('the conversation has no email address to reply to', false);
    reply = composeReply({
      messageId: toSend.message.id,
      text: toSend.message.text ?? '',
      fromAddress: config.address,
      fromName: settings.brand,
      to,
      parent: context.lastInbound,
      threadSubject: context.firstSubject,
      ticketNumber: context.ticketNumber,
      signature: settings.email.signature,
      agentName: toSend.authorName ?? undefined,
      brand: settings.brand,
      fallbackSubject: fallbackSubject(settings.locale, settings.brand),
    });
    await sendReply(deps, { config, secrets, reply, attachments: toSend.message.attachments, tenantId, timeoutMs: deps.sendTimeoutMs });
  } catch (err) {
    const reason = (err as Error).message;
    const retryable = !(err instanceof SendFailure) || err.retryable;
    if (retryable && !isLastAttempt) {
      await recordDeliveryAttempt(deps.db, tenantId, deliveryId, reason);
      throw err;
    }
    if (await markDeliveryFailed(deps.db, tenantId, deliveryId, reason)) await publish('failed');
    throw retryable ? err : new UnrecoverableError(reason);
  }

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
  if (await markDeliverySent(deps.db, tenantId, deliveryId, reply.messageId)) await publish('sent');
  return 'sent';
}
