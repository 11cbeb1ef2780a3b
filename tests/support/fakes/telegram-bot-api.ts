import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Telegram Bot API (ARCHITECTURE.md: third-party services are replaced in tests by local
 * servers speaking their documented wire format, core.telegram.org/bots/api). It answers `POST /bot<token>/<method>`
 * with JSON bodies for setWebhook, deleteWebhook, getWebhookInfo, sendMessage, sendPhoto and sendDocument (also as
 * multipart uploads; a send may answer a message through `reply_parameters`), getFile for files put with `addFile` and `GET /file/bot<token>/<file_path>` for their bytes,
 * records every request, can be told to fail, and plays Telegram's side of a webhook: `pushUpdate` POSTs an Update to the URL
 * the bot's webhook was set to, with the `X-Telegram-Bot-Api-Secret-Token` given to setWebhook.
 */

export interface BotApiRequest {
  /** The HTTP method, e.g. `POST`. */
  httpMethod: string;
  /** The path as requested, e.g. `/bot123:abc/sendMessage` (it holds the token, as on the real API). */
  path: string;
  token: string;
  /** The Bot API method as written in the path, e.g. `sendMessage`. */
  method: string;
  /** The parsed JSON body, or a multipart form's text fields; `{}` when there was none. */
  body: Record<string, unknown>;
  /** A multipart form's files, by field (`photo`, `document`). */
  files?: Record<string, { filename: string; contentType: string; body: Buffer }>;
  /** When it arrived (ms since the epoch). */
  at: number;
}

/** One answer the fake gives instead of its normal one. */
export interface BotApiFailure {
  status: number;
  body: { ok: false; error_code: number; description: string; parameters?: { retry_after?: number } };
}

/** Telegram's own error answers (core.telegram.org/bots/api#making-requests, #responseparameters). */
export const botApiFailures = {
  tooManyRequests: (retryAfter: number): BotApiFailure => ({
    status: 429,
    body: { ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } },
  }),
  chatNotFound: (): BotApiFailure => ({ status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' } }),
  badWebhook: (): BotApiFailure => ({
    status: 400,
    body: { ok: false, error_code: 400, description: 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook' },
  }),
  unauthorized: (): BotApiFailure => ({ status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } }),
  internal: (): BotApiFailure => ({ status: 500, body: { ok: false, error_code: 500, description: 'Internal Server Error' } }),
};

export interface FakeTelegramBotApi {
  /** The `apiBase` of a channel that should talk to this fake, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** Every request received, in order. */
  requests: BotApiRequest[];
  /** Requests for one Bot API method (case-insensitive, as on the real API). */
  calls(method: string): BotApiRequest[];
  /** The next `failures.length` calls of `method` get these answers, in order (`'pass'`: answered as usual); later calls succeed again. */
  failNext(method: string, ...failures: Array<BotApiFailure | 'pass'>): void;
  /**
   * Makes a file known to getFile, as a customer's upload would: `fileSize` (default the bytes' length) is what
   * getFile reports, so a file over the 20 MB bots may download can be told without holding one.
   */
  addFile(fileId: string, body: Buffer, options?: { fileSize?: number; filePath?: string }): void;
  /** Sends an Update to the bot's webhook as Telegram does; fails if no webhook is set for `token`. */
  pushUpdate(token: string, update: Record<string, unknown>): Promise<Response>;
  close(): Promise<void>;
}

interface Webhook {
  url: string;
  secretToken?: string;
  allowedUpdates?: unknown;
}

const PATH = /^\/bot(\d+:[A-Za-z0-9_-]+)\/([A-Za-z]+)$/;
const FILE_PATH = /^\/file\/bot(\d+:[A-Za-z0-9_-]+)\/(.+)$/;
/** Bots may download files of at most 20 MB (core.telegram.org/bots/api#getfile). */
const MAX_BOT_DOWNLOAD = 20 * 1024 * 1024;

export async function startFakeTelegramBotApi(): Promise<FakeTelegramBotApi> {
  const requests: BotApiRequest[] = [];
  const failures = new Map<string, Array<BotApiFailure | 'pass'>>();
  const webhooks = new Map<string, Webhook>();
  const files = new Map<string, { body: Buffer; fileSize: number; filePath: string }>();
  let nextMessageId = 1;

  const answer = (req: BotApiRequest): { status: number; body: unknown } => {
    const queued = failures.get(req.method.toLowerCase());
    const failure = queued?.shift();
    if (failure && failure !== 'pass') return failure;
    const botId = Number(req.token.split(':')[0]);
    const ok = (result: unknown) => ({ status: 200, body: { ok: true, result } });
    const badRequest = (description: string) => ({ status: 400, body: { ok: false, error_code: 400, description: `Bad Request: ${description}` } });
    const sent = (extra: Record<string, unknown>) => {
      if (req.body.chat_id === undefined || req.body.chat_id === '') return badRequest('chat_id is empty');
      const chatId = req.body.chat_id;
      const replyTo = replyParametersOf(req.body.reply_parameters);
      if (replyTo === 'invalid') return badRequest('invalid reply parameters specified');
      return ok({
        message_id: nextMessageId++,
        from: { id: botId, is_bot: true, first_name: 'Sapa Bot', username: 'sapa_test_bot' },
        chat: { id: chatId, type: 'private' },
        date: Math.floor(Date.now() / 1000),
        // The fake knows no earlier messages of the chat: it answers as for one that exists.
        ...(replyTo && { reply_to_message: { message_id: replyTo.message_id, chat: { id: chatId, type: 'private' }, date: Math.floor(Date.now() / 1000) } }),
        ...extra,
      });
    };
    switch (req.method.toLowerCase()) {
      case 'setwebhook': {
        if (typeof req.body.url !== 'string') return badRequest('bad webhook: URL must be provided');
        if (req.body.url === '') {
          webhooks.delete(req.token);
          return { status: 200, body: { ok: true, result: true, description: 'Webhook was deleted' } };
        }
        webhooks.set(req.token, {
          url: req.body.url,
          ...(typeof req.body.secret_token === 'string' && { secretToken: req.body.secret_token }),
          allowedUpdates: req.body.allowed_updates,
        });
        return { status: 200, body: { ok: true, result: true, description: 'Webhook was set' } };
      }
      case 'deletewebhook':
        webhooks.delete(req.token);
        return { status: 200, body: { ok: true, result: true, description: 'Webhook was deleted' } };
      case 'getwebhookinfo': {
        const hook = webhooks.get(req.token);
        return ok({ url: hook?.url ?? '', has_custom_certificate: false, pending_update_count: 0, allowed_updates: hook?.allowedUpdates });
      }
      case 'sendmessage':
        if (typeof req.body.text !== 'string' || req.body.text.length === 0) return badRequest('message text is empty');
        if (req.body.text.length > 4096) return badRequest('message is too long');
        return sent({ text: req.body.text });
      case 'getfile': {
        const file = typeof req.body.file_id === 'string' ? files.get(req.body.file_id) : undefined;
        if (!file) return badRequest('invalid file_id');
        if (file.fileSize > MAX_BOT_DOWNLOAD) return badRequest('file is too big');
        return ok({ file_id: req.body.file_id, file_unique_id: `u-${req.body.file_id as string}`, file_size: file.fileSize, file_path: file.filePath });
      }
      case 'sendphoto':
        if (!req.body.photo && !req.files?.photo) return badRequest('there is no photo in the request');
        return sent({ photo: [{ file_id: `photo-${nextMessageId}`, file_unique_id: `u${nextMessageId}`, width: 800, height: 600 }] });
      case 'senddocument':
        if (!req.body.document && !req.files?.document) return badRequest('there is no document in the request');
        return sent({ document: { file_id: `doc-${nextMessageId}`, file_unique_id: `u${nextMessageId}` } });
      default:
        return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } };
    }
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void handle());
    const handle = async () => {
      const path = (req.url ?? '/').split('?')[0]!;
      const match = PATH.exec(path);
      const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      const download = req.method === 'GET' ? FILE_PATH.exec(path) : null;
      if (download) {
        const file = [...files.values()].find((f) => f.filePath === download[2]);
        if (!file) return send(404, { ok: false, error_code: 404, description: 'Not Found' });
        return res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(file.body.length) }).end(file.body);
      }
      if (!match) return send(404, { ok: false, error_code: 404, description: 'Not Found' });
      let body: Record<string, unknown> = {};
      let uploaded: BotApiRequest['files'];
      try {
        const contentType = req.headers['content-type'] ?? '';
        if (contentType.startsWith('multipart/form-data')) ({ body, files: uploaded } = await parseMultipart(Buffer.concat(chunks), contentType));
        else {
          const raw = Buffer.concat(chunks).toString('utf8');
          if (raw) body = JSON.parse(raw) as Record<string, unknown>;
        }
      } catch {
        return send(400, { ok: false, error_code: 400, description: "Bad Request: can't parse JSON object" });
      }
      const recorded: BotApiRequest = {
        httpMethod: req.method ?? 'GET',
        path,
        token: match[1]!,
        method: match[2]!,
        body,
        ...(uploaded && { files: uploaded }),
        at: Date.now(),
      };
      requests.push(recorded);
      const { status, body: out } = answer(recorded);
      send(status, out);
    };
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    calls: (method) => requests.filter((r) => r.method.toLowerCase() === method.toLowerCase()),
    failNext(method, ...more) {
      const key = method.toLowerCase();
      failures.set(key, [...(failures.get(key) ?? []), ...more]);
    },
    addFile(fileId, body, options = {}) {
      files.set(fileId, { body, fileSize: options.fileSize ?? body.length, filePath: options.filePath ?? `documents/file_${files.size + 1}` });
    },
    async pushUpdate(token, update) {
      const hook = webhooks.get(token);
      if (!hook) throw new Error('no webhook is set for this bot; create the channel (setWebhook) first');
      return fetch(hook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(hook.secretToken && { 'x-telegram-bot-api-secret-token': hook.secretToken }) },
        body: JSON.stringify(update),
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * ReplyParameters (core.telegram.org/bots/api#replyparameters, Bot API 7.0): an object with an integer `message_id`,
 * JSON-serialised in a multipart form. Undefined when the call answers no message.
 */
function replyParametersOf(value: unknown): { message_id: number; allow_sending_without_reply?: boolean } | 'invalid' | undefined {
  if (value === undefined) return undefined;
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value) as unknown;
    } catch {
      return 'invalid';
    }
  }
  const id = (parsed as { message_id?: unknown } | null)?.message_id;
  return typeof parsed === 'object' && parsed !== null && Number.isInteger(id) ? (parsed as { message_id: number }) : 'invalid';
}

/** A multipart/form-data body's text fields and files, parsed by undici as a server would. */
async function parseMultipart(raw: Buffer, contentType: string): Promise<{ body: Record<string, unknown>; files: NonNullable<BotApiRequest['files']> }> {
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  const body: Record<string, unknown> = {};
  const files: NonNullable<BotApiRequest['files']> = {};
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') body[name] = value;
    else files[name] = { filename: value.name, contentType: value.type, body: Buffer.from(await value.arrayBuffer()) };
  }
  return { body, files };
}

let nextUpdateId = 100_000;

/**
 * An Update with a message from a customer in a private chat with the bot, as Telegram sends it; `message` fields
 * are merged over a text message "Halo" from Budi Santoso.
 */
export function privateMessageUpdate(chatId: number, message: Record<string, unknown> = {}, updateId = nextUpdateId++): Record<string, unknown> {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      from: { id: chatId, is_bot: false, first_name: 'Budi', last_name: 'Santoso', username: 'budis', language_code: 'id' },
      chat: { id: chatId, first_name: 'Budi', last_name: 'Santoso', username: 'budis', type: 'private' },
      date: Math.floor(Date.now() / 1000),
      text: 'Halo',
      ...message,
    },
  };
}
