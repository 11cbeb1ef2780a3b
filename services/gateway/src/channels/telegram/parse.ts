import type { InboundMessage } from '@sapa/contracts';
import { compileBodyValidator, parseJsonBody } from '../../webhooks/body-validator.js';
import type { OpenedChannel, WebhookRequest } from '../channel-adapter.js';
import { attachmentsOf, locationTextOf } from './inbound-media.js';
import { messageIdIn } from './message-ids.js';
import { TelegramUpdate, type TelegramMessage } from './update.js';

const validateUpdate = compileBodyValidator(TelegramUpdate);

/**
 * A verified update → the customer message it carries, or none. Updates without a customer's words (callback
 * queries, member changes, stickers, polls) and anything from a group or channel give none: Sapa talks to
 * customers one to one, and a bot added to a group would otherwise open a case per chatter.
 */
export function parseTelegramUpdate(request: WebhookRequest, channel: OpenedChannel, receivedAt: Date): InboundMessage[] {
  const update = validateUpdate(parseJsonBody(request.rawBody));
  const edited = update.message === undefined;
  const message = update.message ?? update.edited_message;
  if (!message || message.chat.type !== 'private') return [];

  const text = message.text ?? message.caption ?? locationTextOf(message);
  const attachments = attachmentsOf(message);
  if (text === undefined && attachments.length === 0) return [];
  const name = nameOf(message);
  return [
    {
      tenantId: channel.row.tenant_id,
      channelId: channel.row.id,
      channelType: 'telegram',
      externalMessageId: externalIdOf(message, edited),
      // In a private chat the chat id is the user's id, and it is where sendMessage answers.
      from: { externalId: String(message.chat.id), ...(name && { name }) },
      ...(text !== undefined && { text }),
      attachments,
      sentAt: new Date((edited ? (message.edit_date ?? message.date) : message.date) * 1000).toISOString(),
      receivedAt: receivedAt.toISOString(),
      ...(message.reply_to_message && { replyToExternalId: messageIdIn(message.chat.id, message.reply_to_message.message_id) }),
    },
  ];
}

/**
 * The message's identity, not the update's: update_id is chosen at random again after a week without updates
 * (core.telegram.org/bots/api#update), so it may come back, while message_id is unique in its chat for good and
 * the same on every redelivery. An edit is a new message to Sapa (the customer corrected something), one per edit.
 */
function externalIdOf(message: TelegramMessage, edited: boolean): string {
  const id = messageIdIn(message.chat.id, message.message_id);
  return edited ? `${id}/edit/${message.edit_date ?? message.date}` : id;
}

function nameOf(message: TelegramMessage): string | undefined {
  const person = message.from ?? message.chat;
  const full = [person.first_name, person.last_name].filter(Boolean).join(' ');
  return full || person.username || undefined;
}
