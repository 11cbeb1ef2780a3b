import { createHash } from 'node:crypto';
import { SendFailure, type MediaFetcher } from '../channel-adapter.js';
import { downloadMedia, MediaTooLarge } from '../download-media.js';
import { getFromGraph } from '../meta/graph-api.js';
import { whatsappSenderOf } from './credentials.js';

const MEDIA_URL = /^whatsapp-media:([A-Za-z0-9_.-]+)$/;

/** What `GET /{media-id}` answers (developers.facebook.com/docs/whatsapp/cloud-api/reference/media#retrieve-media-url). */
interface MediaInfo {
  url?: unknown;
  mime_type?: unknown;
  sha256?: unknown;
  /** Bytes; Meta sends it as a string. */
  file_size?: unknown;
}

/**
 * A customer's file on WhatsApp (`whatsapp-media:<media id>`, inbound-content.ts): `GET /{media-id}` with the bearer
 * token gives a short-lived (5 min) URL, its type, size and SHA-256; `GET url` with the same bearer gives the bytes.
 * A file larger than the channel takes fails before the download; a media id Meta does not know (404, or its
 * "object does not exist" 400) fails for good; a download whose hash differs from Meta's is retried.
 */
export const whatsappMediaFetcher: MediaFetcher = {
  async fetch(url, channel, options) {
    const mediaId = MEDIA_URL.exec(url)?.[1];
    if (!mediaId) throw new SendFailure('a WhatsApp attachment is a whatsapp-media:<media id> link; this one is not', false);
    const sender = whatsappSenderOf(channel);
    const info = (await getFromGraph(sender.account, `${mediaId}?phone_number_id=${sender.phoneNumberId}`, options.timeoutMs)) as MediaInfo;
    if (typeof info.url !== 'string') throw new SendFailure('the Graph API gave no download url for this media', false);
    const size = Number(info.file_size);
    if (Number.isFinite(size) && size > options.maxBytes) {
      throw new MediaTooLarge(`WhatsApp media file is ${size} bytes, more than the ${options.maxBytes} bytes this channel takes`);
    }
    const fetched = await downloadMedia(info.url, {
      timeoutMs: options.timeoutMs,
      maxBytes: options.maxBytes,
      source: 'WhatsApp media download',
      headers: { authorization: `Bearer ${sender.account.accessToken}` },
    });
    if (typeof info.sha256 === 'string' && !sameHash(fetched.body, info.sha256)) {
      throw new SendFailure('the WhatsApp media download does not match the SHA-256 Meta gave; it was cut or changed on the way', true);
    }
    return { ...fetched, ...(typeof info.mime_type === 'string' && { contentType: info.mime_type }) };
  },
};

/** Meta gives the hash in hex (media endpoint) or base64 (some webhooks); either may be compared. */
function sameHash(body: Buffer, expected: string): boolean {
  const digest = createHash('sha256').update(body).digest();
  return expected.toLowerCase() === digest.toString('hex') || expected === digest.toString('base64');
}
