import type { DeliveryToSend } from '@sapa/db/queries/deliveries';
import { SendFailure, type OpenedChannel, type SendOptions } from '../channel-adapter.js';
import { callBotApi } from './bot-api.js';
import { botCallsFor, chatIdOf } from './bot-calls.js';
import { telegramBotOf } from './credentials.js';
import { uploadCallOf } from './upload-form.js';

/**
 * Sends one reply to the customer's private chat: its text, then its attachments (bot-calls.ts), stored files uploaded
 * as multipart forms (upload-form.ts). The Bot API has no idempotency key, so a reply of several calls that fails
 * half-way repeats the calls already made on its retry; a single call (a text, or one file with its caption) is never
 * sent twice.
 */
export async function sendTelegramMessage(toSend: DeliveryToSend, channel: OpenedChannel, options: SendOptions): Promise<void> {
  if (!toSend.recipientExternalId) throw new SendFailure('the contact has no identity on this channel', false);
  const calls = botCallsFor(toSend.message, chatIdOf(toSend.recipientExternalId));
  if (calls.length === 0) throw new SendFailure('the message has neither text nor attachments; nothing to send', false);
  const bot = telegramBotOf(channel);
  for (const call of calls) {
    if (!call.upload) {
      await callBotApi(bot, call.method, call.body, options.timeoutMs);
      continue;
    }
    const { method, form } = await uploadCallOf(call, options.attachments);
    await callBotApi(bot, method, form, options.timeoutMs);
  }
}
