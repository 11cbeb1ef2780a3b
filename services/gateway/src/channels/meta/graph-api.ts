import { SendFailure } from '../channel-adapter.js';

/** Where and as whom a channel's Graph API calls go. */
export interface GraphAccount {
  /** e.g. `https://graph.facebook.com/v21.0`, without a trailing slash. */
  base: string;
  accessToken: string;
}

/** The Graph API's error answer (developers.facebook.com/docs/graph-api/guides/error-handling). */
interface GraphError {
  error?: { message?: string; type?: string; code?: number; error_subcode?: number; error_data?: { details?: string }; fbtrace_id?: string };
}

/**
 * Throttling codes: 4 (app call rate), 80007 (WhatsApp Business Account rate), 130429 (Cloud API throughput),
 * 131056 (too many messages to one customer in a short time), and 2 (service temporarily unavailable). Waiting helps.
 * Messenger and Instagram add 17 (user request limit), 32 (Page request limit), 613 (rate limit) and 1200
 * (temporary send failure, "try again later").
 */
const RETRYABLE_CODES = new Set([2, 4, 80007, 130429, 131056, 17, 32, 613, 1200]);

/** 131047: more than 24 hours since the customer last wrote; only a template message may reach them now. */
const REENGAGEMENT_REQUIRED = 131047;

const DESCRIPTION_CHARS = 200;

/**
 * POSTs JSON to `{base}/{path}` with the account's bearer token and resolves with the parsed answer; otherwise throws
 * a SendFailure saying whether trying again can help. No message here ever repeats the token.
 */
export function postToGraph(account: GraphAccount, path: string, body: Record<string, unknown>, timeoutMs: number): Promise<unknown> {
  return callGraph(account, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, timeoutMs);
}

/** GETs `{base}/{path}` (e.g. a media id's metadata) with the bearer token; failures as postToGraph's. */
export function getFromGraph(account: GraphAccount, path: string, timeoutMs: number): Promise<unknown> {
  return callGraph(account, path, { method: 'GET' }, timeoutMs);
}

/** POSTs a multipart form (a media upload) to `{base}/{path}` with the bearer token; failures as postToGraph's. */
export function postFormToGraph(account: GraphAccount, path: string, form: FormData, timeoutMs: number): Promise<unknown> {
  return callGraph(account, path, { method: 'POST', body: form }, timeoutMs);
}

async function callGraph(account: GraphAccount, path: string, init: RequestInit & { headers?: Record<string, string> }, timeoutMs: number): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${account.base}/${path}`, {
      ...init,
      headers: { ...init.headers, authorization: `Bearer ${account.accessToken}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const reason = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : causeOf(err);
    throw new SendFailure(`Graph API unreachable: ${reason}`, true);
  }
  const answer: unknown = await response.json().catch(() => undefined);
  if (response.ok && answer !== undefined) return answer;
  throw failureOf(response, answer as GraphError | undefined, account.accessToken);
}

/**
 * Throttling (HTTP 429 or a throttling code) and Meta's own trouble (5xx) pass with time; 131047 and any other 4xx
 * (bad number, expired token, missing permission) will not change by itself.
 */
function failureOf(response: Response, answer: GraphError | undefined, accessToken: string): SendFailure {
  const code = answer?.error?.code;
  const detail = answer?.error?.error_data?.details ?? answer?.error?.message ?? `HTTP ${response.status} without a Graph API error`;
  const said = `Graph API answered ${response.status}${code === undefined ? '' : ` (code ${code})`}: ${detail.slice(0, DESCRIPTION_CHARS)}`.replaceAll(accessToken, '[token]');
  if (code === REENGAGEMENT_REQUIRED) {
    return new SendFailure(
      `${said}. The customer last wrote more than 24 hours ago; WhatsApp accepts only an approved template message until they write again: send {template: {name, language}} instead`,
      false,
    );
  }
  if (response.status === 429 || (code !== undefined && RETRYABLE_CODES.has(code))) return new SendFailure(said, true, retryAfterMs(response));
  return new SendFailure(said, response.status >= 500);
}

/** `Retry-After` in seconds, when Meta sends one. */
function retryAfterMs(response: Response): number | undefined {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
}
