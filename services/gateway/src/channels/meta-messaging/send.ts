import type { DeliveryToSend } from '@sapa/db/queries/deliveries';
import { SendFailure, type OpenedChannel, type SendOptions, type SendResult } from '../channel-adapter.js';
import { postToGraph } from '../meta/graph-api.js';
import { sendParts } from '../send-parts.js';
import { pageSenderOf, type PageMessagingType } from './credentials.js';
import { messagingTypeFor } from './messaging-window.js';
import { sendApiMessagesFor } from './send-requests.js';

/**
 * Sends one reply through the Send API, `POST {graphApiBase}/{pageId}/messages` with the Page access token as bearer,
 * one call per text piece and attachment, and returns the `message_id` of the last, which delivery and read events
 * name. Inside 24 hours of the customer's last message it is a `RESPONSE`; later an agent's reply carries the
 * `HUMAN_AGENT` tag (messaging-window.ts). The Send API has no idempotency key: a reply of several calls that fails
 * half-way resumes after the calls already made (send-parts.ts). A reply to a particular message goes plain: the Send
 * API reference lists a `reply_to` parameter but documents no fields for it, and Sapa sends nothing it cannot check.
 */
export function pageMessageSender(type: PageMessagingType) {
  return async function sendPageMessage(toSend: DeliveryToSend, channel: OpenedChannel, options: SendOptions): Promise<SendResult> {
    if (!toSend.recipientExternalId) throw new SendFailure('the contact has no identity on this channel', false);
    const window = messagingTypeFor(await toSend.customerLastWroteAt(), new Date(), toSend.message.author_type);
    if ('refused' in window) throw new SendFailure(window.refused, false);
    const messages = sendApiMessagesFor(type, toSend.message, (a) => (a.id ? options.attachments.signedUrl(a.id) : a.url));
    if (messages.length === 0) throw new SendFailure('the message has neither text nor attachments; nothing to send', false);

    const sender = pageSenderOf(channel);
    const recipient = { id: toSend.recipientExternalId };
    const last = (await sendParts(messages, options.progress, (message) =>
      postToGraph(sender.account, `${sender.pageId}/messages`, { recipient, ...window, message }, options.timeoutMs),
    )) as { message_id?: unknown } | undefined;
    return typeof last?.message_id === 'string' ? { externalId: last.message_id } : {};
  };
}
