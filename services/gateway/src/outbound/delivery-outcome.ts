import { UnrecoverableError, type EventBus } from '@sapa/queue';
import type { Db } from '@sapa/db/queries/db-handle';
import { markDeliveryFailed, markDeliverySent, recordDeliveryAttempt, type DeliveryToSend } from '@sapa/db/queries/deliveries';
import type { Logger } from '@sapa/service-kit';
import { SendFailure } from '../channels/channel-adapter.js';
import { publishMessageStatus } from './publish-message-status.js';

/** What recording a send's outcome needs. */
export interface OutcomeDeps {
  db: Db;
  eventBus: EventBus;
  logger: Logger;
}

/**
 * The delivery model of every sender (the gateway's adapters, the WhatsApp and email services): the channel took
 * the message, so the delivery is `sent` with the channel's id of it (receipts and answers find it by that id), and
 * the inbox hears of it once (a repeat of a send already recorded changes nothing).
 */
export async function recordSent(deps: OutcomeDeps, toSend: DeliveryToSend, externalId: string | undefined): Promise<void> {
  if (await markDeliverySent(deps.db, toSend.delivery.tenant_id, toSend.delivery.id, externalId)) {
    await publishMessageStatus(deps.eventBus, deps.logger, toSend, 'sent');
  }
}

/** Marks a delivery `failed` (it joins the dead-letter list admins replay) and tells the inbox. */
export async function failDelivery(deps: OutcomeDeps, toSend: DeliveryToSend, reason: string): Promise<void> {
  if (await markDeliveryFailed(deps.db, toSend.delivery.tenant_id, toSend.delivery.id, reason)) {
    await publishMessageStatus(deps.eventBus, deps.logger, toSend, 'failed');
  }
}

/**
 * A send threw: with attempts left and a failure that a retry may fix, the attempt is recorded and the error
 * rethrown (BullMQ retries with backoff); on the last attempt, or a failure no retry can fix (a SendFailure that is
 * not retryable), delivery and message are marked `failed` and the job is told never to retry. Always throws.
 */
export async function recordSendError(deps: OutcomeDeps, toSend: DeliveryToSend, err: unknown, isLastAttempt: boolean): Promise<never> {
  const reason = (err as Error).message;
  const retryable = !(err instanceof SendFailure) || err.retryable;
  if (retryable && !isLastAttempt) {
    await recordDeliveryAttempt(deps.db, toSend.delivery.tenant_id, toSend.delivery.id, reason);
    throw err;
  }
  await failDelivery(deps, toSend, reason);
  throw retryable ? err : new UnrecoverableError(reason);
}
