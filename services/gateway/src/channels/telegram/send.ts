import type { DeliveryToSend } from '@sapa/db/queries/deliveries';
import { SendFailure, type OpenedChannel, type SendOptions, type SendResult } from '../channel-adapter.js';
import { sendParts } from '../send-parts.js';
import { callBotApi } from './bot-api.js';
import { botCallsFor, chatIdOf } from './bot-calls.js';
import { telegramBotOf } from './credentials.js';
import { messageIdIn, messageIdOf } from './message-ids.js';
import { uploadCallOf } from './upload-form.js';

/**
 * Sends one reply to the customer's private chat: its text, then its attachments (bot-calls.ts), stored files uploaded
 * as multipart forms (upload-form.ts), quoting the message it answers when that one has an id in this chat. The Bot
 * API has no idempotency key: a reply of several calls that fails half-way resumes after the calls already made
 * (send-parts.ts); a call is sent twice only if Telegram took it and its answer was lost. Returns the id of the last
 * message sent, stored as the customer's messages are (`<chat>/<message_id>`), so a customer's reply to it finds it.
 */
export async function sendTelegramMessage(toSend: DeliveryToSend, channel: OpenedChannel, options: SendOptions): Promise<SendResult> {
  if (!toSend.recipientExternalId) throw new SendFailure('the contact has no identity on this channel', false);
  const chatId = chatIdOf(toSend.recipientExternalId);
  const quoted = toSend.replyTo?.externalId ? messageIdOf(toSend.replyTo.externalId, chatId) : undefined;
  const calls = botCallsFor(toSend.message, chatId, quoted);
  if (calls.length === 0) throw new SendFailure('the message has neither text nor attachments; nothing to send', false);
  const bot = telegramBotOf(channel);
  const last = (await sendParts(calls, options.progress, async (call) => {
    if (!call.upload) return callBotApi(bot, call.method, call.body, options.timeoutMs);
    const { method, form } = await uploadCallOf(call, options.attachments);
    return callBotApi(bot, method, form, options.timeoutMs);
  })) as { message_id?: unknown; chat?: { id?: unknown } } | undefined;
  const sentId = last?.message_id;
  const sentChat = last?.chat?.id;
  return typeof sentId === 'number' && (typeof sentChat === 'number' || typeof sentChat === 'string') ? { externalId: messageIdIn(sentChat, sentId) } : {};
}
