import { createHash, timingSafeEqual } from 'node:crypto';
import { InvalidSignature, MissingSignature } from '../../errors.js';
import type { OpenedChannel, WebhookRequest } from '../channel-adapter.js';
import { secretTokenOf } from './credentials.js';

/**
 * Telegram signs nothing; it echoes the `secret_token` given to setWebhook in `X-Telegram-Bot-Api-Secret-Token`
 * (core.telegram.org/bots/api#setwebhook). Only Telegram and Sapa know it, so a match says the update is Telegram's.
 */
export function verifyTelegramWebhook(request: WebhookRequest, channel: OpenedChannel): void {
  const given = request.headers['x-telegram-bot-api-secret-token'];
  if (typeof given !== 'string' || given.length === 0) {
    throw MissingSignature('send the X-Telegram-Bot-Api-Secret-Token header; Telegram adds it to every update once Sapa has set the webhook');
  }
  if (!sameSecret(given, secretTokenOf(channel))) {
    throw InvalidSignature("X-Telegram-Bot-Api-Secret-Token is not this channel's secret token; is the bot's webhook set by another channel?");
  }
}

// Compared as digests: equal lengths for timingSafeEqual, so neither the content nor the length of the secret leaks.
function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
