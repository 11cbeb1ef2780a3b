import type { LivechatMessageView } from '@sapa/contracts';
import type { DeliveryToSend } from '@sapa/db/queries/deliveries';
import { SendFailure, type OpenedChannel, type SendOptions } from '../channel-adapter.js';
import { LIVECHAT_TOPIC, type VisitorPush } from '../../livechat/livechat-bus.js';
import { quoteView, visitorAttachments } from '../../livechat/message-view.js';

/**
 * Hands an agent's (or Sapa's) message to the visitor's socket, wherever it is: published once on Redis, and the
 * replica holding the socket sends it. Published is as far as the channel goes, so the delivery is then `sent`: a
 * visitor who is away (tab closed, network gone) reads it from Postgres when the widget resumes. A reply to a
 * particular message carries it (`replyTo`: its id and first words), and the widget shows it as a quote.
 */
export async function sendLivechatMessage(toSend: DeliveryToSend, _channel: OpenedChannel, options: SendOptions): Promise<void> {
  if (!toSend.recipientExternalId) throw new SendFailure('the contact has no visitor id on this live chat', false);
  if (!options.publish) throw new SendFailure('this gateway worker has no Redis publisher for live chat pushes', false);
  const { message } = toSend;
  const view: LivechatMessageView = {
    id: message.id,
    direction: 'out',
    authorType: message.author_type,
    authorName: message.author_type === 'agent' ? toSend.authorName : null,
    text: message.text,
    attachments: visitorAttachments(message.attachments, (id) => options.attachments.signedUrl(id)),
    ...(toSend.replyTo && { replyTo: quoteView(toSend.replyTo, toSend.recipientExternalId) }),
    createdAt: new Date().toISOString(),
  };
  const push: VisitorPush = { visitorId: toSend.recipientExternalId, frame: { type: 'message', message: view } };
  await options.publish(LIVECHAT_TOPIC, JSON.stringify(push));
}
