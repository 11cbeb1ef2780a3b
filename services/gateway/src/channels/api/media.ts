import { SendFailure, type MediaFetcher } from '../channel-adapter.js';
import { downloadMedia } from '../download-media.js';

/**
 * An integrator's file: a plain http(s) GET of the URL its webhook named, without Sapa's or the channel's
 * credentials (the URL is the integrator's to make fetchable: public, or pre-signed), and only from public hosts.
 */
export const apiMediaFetcher: MediaFetcher = {
  async fetch(url, _channel, options) {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
    if (scheme !== 'https' && scheme !== 'http') throw new SendFailure(`an api attachment is fetched over http(s); ${scheme ?? 'this'}: links are not`, false);
    return downloadMedia(url, { timeoutMs: options.timeoutMs, maxBytes: options.maxBytes, source: 'the attachment URL', publicHostsOnly: !options.allowPrivateHosts });
  },
};
