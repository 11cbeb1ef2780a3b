import type { AnyMessageContent } from '@whiskeysockets/baileys';
import type { OutboundDelivery } from '@sapa/contracts';
import type { AttachmentStore } from '@sapa/attachments';
import type { DeliveryToSend } from '@sapa/db/queries/deliveries';
import { readStoredAttachment, recordSendError, recordSent, SendFailure, type OutcomeDeps } from '@sapa/gateway';
import { withTimeout } from '@sapa/service-kit';
import { FencedOut } from '../auth/fenced-out.js';
import type { ChannelSession } from '../session/channel-session.js';
import { quoteContextOf } from './quote-context.js';
import { messageIdFor, planSend, type SendPart } from './send-plan.js';

export interface DeliverDeps extends OutcomeDeps {
  store: AttachmentStore;
  /** Longest wait for WhatsApp to take one message (default 30 s: media uploads take a while). */
  sendTimeoutMs: number;
}

/**
 * One attempt at one delivery through the session holding its number, on the gateway's delivery model: only a
 * `pending` delivery of this replay is sent; success marks it `sent` with the WhatsApp message id (receipts find it
 * by that id); a failure with attempts left records the attempt and throws for BullMQ's backoff; the last attempt,
 * or a failure no retry can fix, marks it `failed`. A lost lease is not the message's fault: the job is retried and
 * the number's new holder sends it, with the same message ids. A reply to a particular message quotes it on its
 * first part (quote-context.ts).
 */
export async function deliverOnWhatsapp(
  deps: DeliverDeps,
  session: ChannelSession,
  toSend: DeliveryToSend,
  payload: OutboundDelivery,
  isLastAttempt: boolean,
): Promise<'sent'> {
  const { tenantId, deliveryId } = payload;
  let externalId: string | undefined;
  try {
    if (!toSend.recipientExternalId) throw new SendFailure('the contact has no WhatsApp identity on this number', false);
    const parts = planSend({ text: toSend.message.text, attachments: toSend.message.attachments });
    if (parts.length === 0) throw new SendFailure('the message has neither text nor attachments; nothing to send', false);
    const ownNumber = typeof toSend.channel.config.phoneNumber === 'string' ? toSend.channel.config.phoneNumber : undefined;
    const quote = quoteContextOf(toSend.replyTo, toSend.recipientExternalId, ownNumber);
    for (const [index, part] of parts.entries()) {
      const messageId = messageIdFor(deliveryId, payload.replay, index);
      const plain = await contentOf(deps, tenantId, part);
      const content: AnyMessageContent = index === 0 && quote ? { ...plain, contextInfo: quote } : plain;
      const sent = await withTimeout(session.send(toSend.recipientExternalId, content, messageId), deps.sendTimeoutMs, `WhatsApp did not take the message within ${deps.sendTimeoutMs} ms`);
      externalId ??= sent?.key.id ?? messageId;
    }
  } catch (err) {
    if (err instanceof FencedOut) throw err;
    return recordSendError(deps, toSend, err, isLastAttempt);
  }
  await recordSent(deps, toSend, externalId);
  return 'sent';
}

/** A part as Baileys sends it: images and videos show inline, audio plays (Ogg as a voice note), the rest are documents. */
async function contentOf(deps: DeliverDeps, tenantId: string, part: SendPart): Promise<AnyMessageContent> {
  if (part.kind === 'text') return { text: part.text };
  const { body } = await readStoredAttachment(deps, tenantId, part.attachmentId);
  const caption = part.caption !== undefined ? { caption: part.caption } : {};
  if (part.contentType.startsWith('image/') && part.contentType !== 'image/svg+xml') return { image: body, mimetype: part.contentType, ...caption };
  if (part.contentType.startsWith('video/')) return { video: body, mimetype: part.contentType, ...caption };
  if (part.contentType.startsWith('audio/')) return { audio: body, mimetype: part.contentType, ptt: part.contentType === 'audio/ogg' };
  return { document: body, mimetype: part.contentType, fileName: part.filename ?? 'file', ...caption };
}
