import { SendFailure } from '../channel-adapter.js';
import type { TelegramBot } from './credentials.js';

/** The Bot API's answer (core.telegram.org/bots/api#making-requests). */
interface BotApiAnswer {
  ok: boolean;
  result?: unknown;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
}

/** Enough of Telegram's description for an admin reading the dead-letter list. */
const DESCRIPTION_CHARS = 200;

/**
 * Calls one Bot API method with a JSON body (or, to upload a file, a multipart form) and resolves with its `result`;
 * otherwise throws a SendFailure that says whether trying again can help. The URL holds the bot token, so no message
 * here ever repeats it.
 */
export async function callBotApi(bot: TelegramBot, method: string, body: Record<string, unknown> | FormData, timeoutMs: number): Promise<unknown> {
  let response: Response;
  try {
    const multipart = body instanceof FormData;
    response = await fetch(`${bot.apiBase}/bot${bot.botToken}/${method}`, {
      method: 'POST',
      // fetch writes a multipart form's content type itself, boundary included.
      ...(multipart ? { body } : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const reason = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : causeOf(err);
    throw new SendFailure(`Telegram Bot API unreachable: ${reason}`, true);
  }
  const answer = (await response.json().catch(() => undefined)) as BotApiAnswer | undefined;
  if (response.ok && answer?.ok === true) return answer.result;
  throw failureOf(method, response.status, answer);
}

/**
 * 429 is flood control: retry, no sooner than `retry_after`. 5xx is Telegram's trouble and passes. Any other error
 * (400 chat not found or text too long, 401 token revoked, 403 blocked by the user) will not change by itself.
 * An answer that is not the Bot API's (a proxy's error page) is judged by its HTTP status, a 2xx one as a 502.
 */
function failureOf(method: string, httpStatus: number, answer: BotApiAnswer | undefined): SendFailure {
  const code = answer?.error_code ?? (httpStatus < 300 ? 502 : httpStatus);
  const description = answer?.description ?? `HTTP ${httpStatus} without a Bot API answer`;
  const reason = `Telegram ${method} answered ${code}: ${description.slice(0, DESCRIPTION_CHARS)}`;
  if (code === 429) {
    const retryAfter = answer?.parameters?.retry_after;
    return new SendFailure(reason, true, typeof retryAfter === 'number' && retryAfter >= 0 ? retryAfter * 1000 : undefined);
  }
  return new SendFailure(reason, code >= 500);
}

function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
}
