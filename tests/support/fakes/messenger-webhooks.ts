/**
 * Messenger Platform webhook bodies as Meta sends them to a Page's (`object: "page"`) or an Instagram account's
 * (`object: "instagram"`) callback URL (developers.facebook.com/docs/messenger-platform/webhooks). Sign and post them
 * with `postSignedWebhook` from graph-api.ts.
 */

export type MessagingObject = 'page' | 'instagram';

/** A body of one entry (`entryId`: the Page id, or the Instagram account id) carrying `events`. */
export function messagingWebhookBody(object: MessagingObject, entryId: string, events: Record<string, unknown>[]): Record<string, unknown> {
  return { object, entry: [{ id: entryId, time: Date.now(), messaging: events }] };
}

let nextMid = 1;

/** A fresh message id in Meta's shape. */
export function newMid(): string {
  return `m_AbC${String(nextMid++).padStart(8, '0')}xYz`;
}

/** A customer's message event (`message` fields merged over a text "Halo"), sent by `customerId` to `businessId`. */
export function customerMessageEvent(customerId: string, businessId: string, message: Record<string, unknown> = {}, timestamp = Date.now()): Record<string, unknown> {
  return { sender: { id: customerId }, recipient: { id: businessId }, timestamp, message: { mid: newMid(), text: 'Halo', ...message } };
}

/** The echo Meta sends of a message the business itself sent (Sapa's reply, or one typed in Meta's inbox). */
export function echoEvent(businessId: string, customerId: string, text: string): Record<string, unknown> {
  return { sender: { id: businessId }, recipient: { id: customerId }, timestamp: Date.now(), message: { mid: newMid(), is_echo: true, app_id: 1517776481860111, text } };
}

/** Messenger's `message_deliveries`: the `mids` delivered to the customer. */
export function deliveryEvent(customerId: string, pageId: string, mids: string[], watermark = Date.now()): Record<string, unknown> {
  return { sender: { id: customerId }, recipient: { id: pageId }, delivery: { mids, watermark } };
}

/** Messenger's `message_reads`: everything sent up to `watermark` (ms) was read. */
export function readEvent(customerId: string, pageId: string, watermark: number): Record<string, unknown> {
  return { sender: { id: customerId }, recipient: { id: pageId }, timestamp: Date.now(), read: { watermark } };
}

/** Instagram's `messaging_seen`: the customer saw the message `mid`. */
export function seenEvent(customerId: string, accountId: string, mid: string): Record<string, unknown> {
  return { sender: { id: customerId }, recipient: { id: accountId }, timestamp: Date.now(), read: { mid } };
}

/** A tapped button (get started, persistent menu, icebreaker). */
export function postbackEvent(customerId: string, businessId: string, title: string, payload: string): Record<string, unknown> {
  return { sender: { id: customerId }, recipient: { id: businessId }, timestamp: Date.now(), postback: { mid: newMid(), title, payload } };
}
