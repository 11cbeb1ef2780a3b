import { SendFailure, type MediaFetcher } from '../channel-adapter.js';
import { downloadMedia } from '../download-media.js';

/**
 * A customer's file on Messenger or Instagram: the webhook gives a link to Meta's CDN (`payload.url`), signed and
 * short-lived, which needs no token; so none is sent, and no other host ever sees the Page's. The link expires (a
 * 403/404 then fails for good): the media worker should fetch soon after the message arrives.
 */
export const pageMediaFetcher: MediaFetcher = {
  async fetch(url, _channel, options) {
    if (!/^https?:\/\//i.test(url)) throw new SendFailure('a Messenger or Instagram attachment is an http(s) link; this one is not', false);
    return downloadMedia(url, { ...options, source: "Meta's media CDN" });
  },
};
