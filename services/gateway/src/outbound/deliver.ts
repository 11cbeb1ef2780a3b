import type { OutboundDelivery } from '@sapa/contracts';
import type { SecretBox } from '@sapa/db';
import type { Db } from '@sapa/db/queries/db-handle';
import { findDeliveryToSend, recordDeliveryParts, type DeliveryToSend } from '@sapa/db/queries/deliveries';
import { SendFailure, type AttachmentAccess, type OutboundAdapter, type SendThrottle } from '../channels/channel-adapter.js';
import { recordSendError, recordSent, type OutcomeDeps } from './delivery-outcome.js';
import { openChannel } from './open-channel.js';

export interface DeliverDeps extends OutcomeDeps {
  secretBox: SecretBox;
  /** Who sends: the gateway's channel adapters (registrySender), or a service's own (the email service's SMTP). */
  sender: OutboundAdapter;
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

/** The delivery a job is about while it is still `pending` in the job's replay: a redelivered or stale job finds none. */
export async function findPendingDelivery(db: Db, payload: OutboundDelivery): Promise<DeliveryToSend | undefined> {
  const toSend = await findDeliveryToSend(db, payload.tenantId, payload.deliveryId);
  return toSend && toSend.delivery.status === 'pending' && toSend.delivery.replays === payload.replay ? toSend : undefined;
}

/**
 * One attempt at one delivery. Only a `pending` delivery of this replay is sent, so a redelivered or stale job
 * sends nothing. A failure with attempts left records the attempt and throws (BullMQ retries with backoff); the
 * last attempt, or a failure no retry can fix, marks delivery and message `failed` before throwing.
 */
export async function deliver(deps: DeliverDeps, payload: OutboundDelivery, isLastAttempt: boolean): Promise<DeliverOutcome> {
  const { tenantId } = payload;
  const toSend = await findPendingDelivery(deps.db, payload);
  if (!toSend) return 'skipped';

  let externalId: string | undefined;
  try {
    const result = await deps.sender.send(toSend, openChannel(toSend.channel, deps.secretBox), {
      timeoutMs: deps.sendTimeoutMs,
      attachments: deps.attachmentsFor?.(tenantId) ?? NO_ATTACHMENTS,
      ...(deps.publish && { publish: deps.publish }),
      ...(deps.throttle && { throttle: deps.throttle }),
      progress: {
        done: toSend.delivery.parts_sent,
        record: (done) => recordDeliveryParts(deps.db, tenantId, payload.deliveryId, done),
      },
    });
    externalId = result?.externalId;
  } catch (err) {
    return recordSendError(deps, toSend, err, isLastAttempt);
  }
  await recordSent(deps, toSend, externalId);
  return 'sent';
}
