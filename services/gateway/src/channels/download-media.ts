import { SendFailure, type FetchedMedia } from './channel-adapter.js';
import { fetchPublic, isRefusedHost } from './public-hosts-only.js';

export interface DownloadOptions {
  timeoutMs: number;
  /** Reading stops, and the download fails for good, past this many bytes. */
  maxBytes: number;
  /** Names the source in errors instead of the URL, which may hold a token (Telegram) or a signature (Meta's CDN). */
  source: string;
  headers?: Record<string, string>;
  /** Only public hosts (a URL a third party chose: see public-hosts-only.ts). */
  publicHostsOnly?: boolean;
}

/**
 * GETs a channel's file and returns its bytes, never holding more than `maxBytes` of it: a declared
 * `Content-Length` over the limit fails before reading, and a body that grows past it is cut off. A network error,
 * a timeout, a 429 or a 5xx may pass (retryable); any other answer (an expired CDN link: 403, 404, 410) will not.
 */
export async function downloadMedia(url: string, options: DownloadOptions): Promise<FetchedMedia> {
  let response: Response;
  const init = { headers: options.headers ?? {}, signal: AbortSignal.timeout(options.timeoutMs) };
  try {
    response = options.publicHostsOnly ? await fetchPublic(url, init) : await fetch(url, { ...init, redirect: 'follow' });
  } catch (err) {
    if (err instanceof SendFailure) throw err;
    if (isRefusedHost(err)) throw new SendFailure(`${options.source} is not on a public host`, false);
    // An invalid URL's error quotes it, and the URL may hold a secret.
    throw new SendFailure(`${options.source} unreachable: ${reasonOf(err, options.timeoutMs).replaceAll(url, '[url]')}`, true);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    const retryable = response.status === 429 || response.status >= 500;
    throw new SendFailure(`${options.source} answered ${response.status}${retryable ? '' : '; the link may have expired'}`, retryable);
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(options, declared);
  }
  const body = await readUpTo(response, options);
  const contentType = response.headers.get('content-type') ?? undefined;
  const filename = filenameOf(response.headers.get('content-disposition'));
  return { body, ...(contentType && { contentType }), ...(filename && { filename }) };
}

async function readUpTo(response: Response, options: DownloadOptions): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > options.maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(options);
      }
      chunks.push(Buffer.from(value));
    }
  } catch (err) {
    if (err instanceof SendFailure) throw err;
    throw new SendFailure(`${options.source} broke off: ${reasonOf(err, options.timeoutMs)}`, true);
  }
  return Buffer.concat(chunks, size);
}

/** A file past the channel's limit: never retried, and recorded on the attachment as `attachment_too_large`. */
export class MediaTooLarge extends SendFailure {
  constructor(message: string) {
    super(message, false);
    this.name = 'MediaTooLarge';
  }
}

function tooLarge(options: DownloadOptions, declared?: number): SendFailure {
  const said = declared === undefined ? 'more than' : `${declared} bytes, more than`;
  return new MediaTooLarge(`${options.source} file is ${said} the ${options.maxBytes} bytes this channel takes`);
}

/** `filename="…"` or RFC 5987's `filename*=UTF-8''…` of a Content-Disposition, when there is one. */
function filenameOf(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition)?.[1];
  if (extended) {
    try {
      return decodeURIComponent(extended.trim());
    } catch {
      // A malformed escape: fall back to the plain parameter.
    }
  }
  return /filename\s*=\s*"?([^";]+)"?/i.exec(disposition)?.[1]?.trim() || undefined;
}

function reasonOf(err: unknown, timeoutMs: number): string {
  const name = (err as Error).name;
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
}
