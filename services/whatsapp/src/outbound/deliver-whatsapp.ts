import type { AnyMessageContent } from '@whiskeysockets/baileys';
import type { OutboundDelivery } from '@sapa/contracts';
import { findAttachment, type AttachmentStore } from '@sapa/attachments';
import type { Db } from '@sapa/db/queries/db-handle';
import { markDeliveryFailed, markDeliverySent, recordDeliveryAttempt, type DeliveryToSend } from '@sapa/db/queries/deliveries';
import { publishMessageUpdated, SendFailure } from '@sapa/gateway';
import { UnrecoverableError, type EventBus } from '@sapa/queue';
import { withTimeout, type Logger } from '@sapa/service-kit';
import { FencedOut } from '../auth/fenced-out.js';
import type { ChannelSession } from '../session/channel-session.js';
import { messageIdFor, planSend, type SendPart } from './send-plan.js';

export interface DeliverDeps {
  db: Db;
  store: AttachmentStore;
  eventBus: EventBus;
  logger: Logger;
  /** Longest wait for WhatsApp to take one message (default 30 s: media uploads take a while). */
  sendTimeoutMs: number;
}

/**
 * One attempt at one delivery through the session holding its number, on the gateway's delivery model: only a
 * `pending` delivery of this replay is sent; success marks it `sent` with the WhatsApp message id (receipts find it
 * by that id); a failure with attempts left records the attempt and throws for BullMQ's backoff; the last attempt,
 * or a failure no retry can fix, marks it `failed`. A lost lease is not the message's fault: the job is retried and
 * the number's new holder sends it, with the same message ids.
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
    for (const [index, part] of parts.entries()) {
      const messageId = messageIdFor(deliveryId, payload.replay, index);
      const content = await contentOf(deps, tenantId, part);
      const sent = await withTimeout(session.send(toSend.recipientExternalId, content, messageId), deps.sendTimeoutMs, `WhatsApp did not take the message within ${deps.sendTimeoutMs} ms`);
      externalId ??= sent?.key.id ?? messageId;
    }
  } catch (err) {
    if (err instanceof FencedOut) throw err;
    const reason = (err as Error).message;
    const retryable = !(err instanceof SendFailure) || err.retryable;
    if (retryable && !isLastAttempt) {
      await recordDeliveryAttempt(deps.db, tenantId, deliveryId, reason);
      throw err;
    }
    await failDelivery(deps, toSend, reason);
    throw retryable ? err : new UnrecoverableError(reason);
  }
  if (await markDeliverySent(deps.db, tenantId, deliveryId, externalId)) await publishStatus(deps, toSend, 'sent');
  return 'sent';
}

/** Marks a delivery `failed` (it joins the dead-letter list admins replay) and tells the inbox. */
export async function failDelivery(deps: Pick<DeliverDeps, 'db' | 'eventBus' | 'logger'>, toSend: DeliveryToSend, reason: string): Promise<void> {
  if (await markDeliveryFailed(deps.db, toSend.delivery.tenant_id, toSend.delivery.id, reason)) await publishStatus(deps, toSend, 'failed');
}

function publishStatus(deps: Pick<DeliverDeps, 'eventBus' | 'logger'>, toSend: DeliveryToSend, status: 'sent' | 'failed'): Promise<void> {
  return publishMessageUpdated(deps.eventBus, deps.logger, {
    tenantId: toSend.delivery.tenant_id,
    messageId: toSend.message.id,
    conversation: toSend.conversation,
    status,
  });
}

/** A part as Baileys sends it: images and videos show inline, audio plays (Ogg as a voice note), the rest are documents. */
async function contentOf(deps: DeliverDeps, tenantId: string, part: SendPart): Promise<AnyMessageContent> {
  if (part.kind === 'text') return { text: part.text };
  const body = await readStored(deps, tenantId, part.attachmentId);
  const caption = part.caption !== undefined ? { caption: part.caption } : {};
  if (part.contentType.startsWith('image/') && part.contentType !== 'image/svg+xml') return { image: body, mimetype: part.contentType, ...caption };
  if (part.contentType.startsWith('video/')) return { video: body, mimetype: part.contentType, ...caption };
  if (part.contentType.startsWith('audio/')) return { audio: body, mimetype: part.contentType, ptt: part.contentType === 'audio/ogg' };
  return { document: body, mimetype: part.contentType, fileName: part.filename ?? 'file', ...caption };
}

async function readStored(deps: DeliverDeps, tenantId: string, attachmentId: string): Promise<Buffer> {
  const row = await findAttachment(deps.db, tenantId, attachmentId);
  if (!row) throw new SendFailure(`attachment ${attachmentId} is not held by Sapa`, false);
  const chunks: Buffer[] = [];
  for await (const chunk of await deps.store.get(row.storage_key)) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}
