import type { ChannelAdapter } from '../channel-adapter.js';
import type { PageMessagingType } from './credentials.js';
import { pageMediaFetcher } from './media.js';
import { parsePageWebhook } from './parse.js';
import { pageReceipts } from './receipts.js';
import { pageMessageSender } from './send.js';
import { pageHandshake, verifyPageWebhook } from './verify.js';

/**
 * The Messenger Platform serves Messenger and Instagram alike (the same webhooks, signature and Send API through a
 * Facebook Page), so both channel types are this one folder; they share `/webhooks/meta/{channelId}`, and the
 * channel the URL names says which one reads a request (api-contract.md §Channel types).
 */
function pageMessagingChannel(type: PageMessagingType): ChannelAdapter {
  return {
    type,
    inbound: { segment: 'meta', verify: verifyPageWebhook, parse: parsePageWebhook, handshake: pageHandshake, receipts: pageReceipts },
    outbound: { send: pageMessageSender(type) },
    media: pageMediaFetcher,
  };
}

/** A Facebook Page's Messenger inbox. */
export const messengerChannel = pageMessagingChannel('messenger');
/** An Instagram professional account's direct messages, through the Facebook Page it is linked to. */
export const instagramChannel = pageMessagingChannel('instagram');
