import { UnrecoverableError } from '@sapa/queue';
import type { EventBus } from '@sapa/queue';
import type { OutboundDelivery } from '@sapa/contracts';
import type { SecretBox } from '@sapa/db';
import type { Db } from '@sapa/db/queries/db-handle';
import { findDeliveryToSend, markDeliveryFailed, markDeliverySent, recordDeliveryAttempt } from '@sapa/db/queries/deliveries';
import type { Logger } from '@sapa/service-kit';
import { SendFailure, type AttachmentAccess, type SendThrottle } from '../channels/channel-adapter.js';
import { adapterFor } from '../channels/registry.js';
import { openChannel } from './open-channel.js';
import { publishMessageStatus } from './publish-message-status.js';

export interface DeliverDeps {
  db: Db;
  secretBox: SecretBox;
  eventBus: EventBus;
  logger: Logger;
  sendTimeoutMs: number;
  /** A tenant's stored files, for channels that send attachments; absent: a message with stored files fails to send. */
  attachmentsFor?: (tenantId: string) => AttachmentAccess;
  /** Redis pub/sub to the gateway replicas (SendOptions.publish), for channels that push to a customer's socket. */
  publish?: (topic: string, message: string) => Promise<void>;
  /** The per-sender rate shared by replicas (SendOptions.throttle), for channels with a throughput limit. */
  throttle?: SendThrottle;
}

/** Until the gateway is given a store: sending a stored file is refused, not silently dropped. */
const NO_ATTACHMENTS: AttachmentAccess = {
  read: () => Promise.reject(new SendFailure('this gateway has no attachment store', false)),
  signedUrl: () => {
    throw new SendFailure('this gateway has no attachment store', false);
  },
};

export type DeliverOutcome = 'sent' | 'skipped';

/**
 * One attempt at one delivery. Only a `pending` delivery of this replay is sent, so a redelivered or stale job
 * sends nothing. A failure with attempts left records the attempt and throws (BullMQ retries with backoff); the
 * last attempt, or a failure no retry can fix, marks delivery and message `failed` before throwing.
 */
export async function deliver(deps: DeliverDeps, payload: OutboundDelivery, isLastAttempt: boolean): Promise<DeliverOutcome> {
  const { tenantId, deliveryId } = payload;
  const toSend = await findDeliveryToSend(deps.db, tenantId, deliveryId);
  if (!toSend || toSend.delivery.status !== 'pending' || toSend.delivery.replays !== payload.replay) return 'skipped';

  let externalId: string | undefined;
  try {
    const sender = adapterFor(toSend.channel.type)?.outbound;
    if (!sender) throw new SendFailure(`the gateway cannot send on channels of type ${toSend.channel.type}`, false);
    const result = await sender.send(toSend, openChannel(toSend.channel, deps.secretBox), {
      timeoutMs: deps.sendTimeoutMs,
      attachments: deps.attachmentsFor?.(tenantId) ?? NO_ATTACHMENTS,
      ...(deps.publish && { publish: deps.publish }),
      ...(deps.throttle && { throttle: deps.throttle }),
    });
    externalId = result?.externalId;
  } catch (err) {
    const reason = (err as Error).message;
    const retryable = !(err instanceof SendFailure) || err.retryable;
    if (retryable && !isLastAttempt) {
      await recordDeliveryAttempt(deps.db, tenantId, deliveryId, reason);
      throw err;
    }
    if (await markDeliveryFailed(deps.db, tenantId, deliveryId, reason)) {
      await publishMessageStatus(deps.eventBus, deps.logger, toSend, 'failed');
    }
    throw retryable ? err : new UnrecoverableError(reason);
  }

  if (await markDeliverySent(deps.db, tenantId, deliveryId, externalId)) {
    await publishMessageStatus(deps.eventBus, deps.logger, toSend, 'sent');
  }
  return 'sent';
}
