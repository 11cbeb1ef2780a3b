import { SendFailure, type MediaFetcher } from '../channel-adapter.js';
import { downloadMedia, MediaTooLarge } from '../download-media.js';
import { callBotApi } from './bot-api.js';
import { telegramBotOf } from './credentials.js';

/** The Bot API hands bots files of at most 20 MB (core.telegram.org/bots/api#getfile). */
export const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;

const FILE_URL = /^telegram-file:(.+)$/;

/** What getFile answers: the path to download from, valid for at least an hour. */
interface TelegramFile {
  file_id?: string;
  file_size?: number;
  file_path?: string;
}

/**
 * A customer's file on Telegram (`telegram-file:<file_id>`, inbound-media.ts): `getFile` gives its `file_path`, and
 * `GET {apiBase}/file/bot<token>/<file_path>` its bytes. A file over 20 MB cannot be had by a bot at all, and one over
 * the channel's limit is not wanted: both fail for good (MediaTooLarge: `attachment_too_large`), before any download.
 */
export const telegramMediaFetcher: MediaFetcher = {
  async fetch(url, channel, options) {
    const fileId = FILE_URL.exec(url)?.[1];
    if (!fileId) throw new SendFailure('a Telegram attachment is a telegram-file:<file_id> link; this one is not', false);
    const bot = telegramBotOf(channel);
    const file = (await callBotApi(bot, 'getFile', { file_id: fileId }, options.timeoutMs).catch((err: unknown) => {
      throw tooBigToDownload(err) ?? err;
    })) as TelegramFile;
    if (typeof file.file_size === 'number' && file.file_size > MAX_DOWNLOAD_BYTES) {
      throw new MediaTooLarge(`the file is ${file.file_size} bytes; Telegram lets bots download files of at most 20 MB, so it stays in the customer's chat`);
    }
    if (typeof file.file_size === 'number' && file.file_size > options.maxBytes) {
      throw new MediaTooLarge(`the file is ${file.file_size} bytes, more than the ${options.maxBytes} bytes this channel takes`);
    }
    if (!file.file_path) throw new SendFailure('Telegram getFile gave no file_path; the file cannot be downloaded', false);
    const fetched = await downloadMedia(`${bot.apiBase}/file/bot${bot.botToken}/${file.file_path}`, {
      timeoutMs: options.timeoutMs,
      maxBytes: Math.min(options.maxBytes, MAX_DOWNLOAD_BYTES),
      source: 'Telegram file download',
    });
    // Telegram serves files as application/octet-stream; the path's name (`documents/file_3.pdf`) says more.
    const filename = file.file_path.split('/').at(-1);
    return { ...fetched, ...(!fetched.filename && filename && { filename }) };
  },
};

/** getFile refuses files over 20 MB with `400 Bad Request: file is too big`; said here in words an admin can act on. */
function tooBigToDownload(err: unknown): SendFailure | undefined {
  if (!(err instanceof SendFailure) || !/file is too big/i.test(err.message)) return undefined;
  return new MediaTooLarge(`${err.message}: Telegram lets bots download files of at most 20 MB, so it stays in the customer's chat`);
}
