import type { DeliveryToSend } from '@sapa/db/queries/deliveries';
import { SendFailure, type OpenedChannel, type SendOptions } from '../channel-adapter.js';
import { sendParts } from '../send-parts.js';
import { callBotApi } from './bot-api.js';
import { botCallsFor, chatIdOf } from './bot-calls.js';
import { telegramBotOf } from './credentials.js';
import { uploadCallOf } from './upload-form.js';

/**
 * Sends one reply to the customer's private chat: its text, then its attachments (bot-calls.ts), stored files uploaded
 * as multipart forms (upload-form.ts). The Bot API has no idempotency key: a reply of several calls that fails
 * half-way resumes after the calls already made (send-parts.ts); a call is sent twice only if Telegram took it and its
 * answer was lost.
 */
export async function sendTelegramMessage(toSend: DeliveryToSend, channel: OpenedChannel, options: SendOptions): Promise<void> {
  if (!toSend.recipientExternalId) throw new SendFailure('the contact has no identity on this channel', false);
  const calls = botCallsFor(toSend.message, chatIdOf(toSend.recipientExternalId));
  if (calls.length === 0) throw new SendFailure('the message has neither text nor attachments; nothing to send', false);
  const bot = telegramBotOf(channel);
  await sendParts(calls, options.progress, async (call) => {
    if (!call.upload) return callBotApi(bot, call.method, call.body, options.timeoutMs);
    const { method, form } = await uploadCallOf(call, options.attachments);
    return callBotApi(bot, method, form, options.timeoutMs);
  });
}
