import { ChannelActivationFailed } from '../errors.js';

export interface TelegramWebhook {
  apiBase: string;
  botToken: string;
  url: string;
  secretToken: string;
}

/** Only what a customer writes; callback queries, polls and member changes are nobody's case in Sapa. */
const ALLOWED_UPDATES = ['message', 'edited_message'];

/**
 * Points the bot's webhook at Sapa with the Bot API's setWebhook (core.telegram.org/bots/api#setwebhook): Telegram
 * then POSTs every update to `url` with `X-Telegram-Bot-Api-Secret-Token: <secretToken>`. A bot has one webhook, so
 * this takes the bot away from whatever it was set to before. Throws `channel_activation_failed` with Telegram's
 * description when it refuses or cannot be reached; the URL holds the bot token and is never repeated.
 */
export async function setTelegramWebhook(webhook: TelegramWebhook, timeoutMs: number): Promise<void> {
  let answer: { ok?: boolean; description?: string } | undefined;
  let status: number;
  try {
    const response = await fetch(`${webhook.apiBase}/bot${webhook.botToken}/setWebhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: webhook.url, secret_token: webhook.secretToken, allowed_updates: ALLOWED_UPDATES }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = response.status;
    answer = (await response.json().catch(() => undefined)) as typeof answer;
  } catch (err) {
    const reason = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : causeOf(err);
    throw refused(`the Telegram Bot API at ${webhook.apiBase} could not be reached: ${reason}`);
  }
  if (answer?.ok !== true) throw refused(answer?.description ?? `HTTP ${status} without a Bot API answer`);
}

function refused(description: string) {
  return ChannelActivationFailed(
    `Telegram refused setWebhook: ${description}. Check the bot token, and that SAPA_PUBLIC_WEBHOOK_URL is the gateway's public https address (Telegram calls ports 443, 80, 88 and 8443 only)`,
    { description },
  );
}

function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
}
