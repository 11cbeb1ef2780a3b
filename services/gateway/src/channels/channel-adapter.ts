import type { ChannelType, InboundMessage } from '@sapa/contracts';
import type { Channel } from '@sapa/db';
import type { DeliveryToSend } from '@sapa/db/queries/deliveries';
import type { AcceptableJob } from '../inbound/accept-inbound.js';

/** A webhook as an adapter sees it: headers and the exact bytes received (signatures are over bytes). */
export interface WebhookRequest {
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
}

/** A channel row with its secrets opened (secretBox), handed to an adapter for one request or one send. */
export interface OpenedChannel {
  row: Channel;
  secrets: Record<string, unknown>;
}

export interface InboundAdapter {
  /** The webhook URL is `POST /webhooks/<segment>/:channelId`. */
  segment: string;
  /** Throws a 401 SapaError unless the request was signed by whoever holds the channel's secret. */
  verify(request: WebhookRequest, channel: OpenedChannel, nowSeconds: number): void;
  /** Turns a verified body into normalised messages; throws a 400 SapaError on a body the contract refuses. */
  parse(request: WebhookRequest, channel: OpenedChannel, receivedAt: Date): InboundMessage[];
  /**
   * For providers that check a webhook URL before using it (Meta's `GET …?hub.mode=subscribe`): the text to answer
   * with, or a 403 SapaError. Present → the gateway also serves `GET /webhooks/<segment>/:channelId`.
   */
  handshake?(query: Record<string, unknown>, channel: OpenedChannel): string;
  /** What a verified, parsed body says about messages Sapa sent (WhatsApp's `statuses`); none when absent. */
  receipts?(request: WebhookRequest, channel: OpenedChannel): ChannelReceipt[];
  /**
   * For channels whose webhooks carry events rather than customer messages (a PBX's call events): the verified body
   * as jobs of the channel's own queue, each accepted once by its id like a message. Present → `parse` is not called.
   * Throws a 400 SapaError on a body the contract refuses.
   */
  jobs?(request: WebhookRequest, channel: OpenedChannel, receivedAt: Date): AcceptableJob[];
}

/** What a channel says about messages Sapa sent on it: one message by its id, or all of a customer's up to a point. */
export type ChannelReceipt = MessageReceipt | WatermarkReceipt;

/** A channel's word on one message Sapa sent on it, found by the id the channel gave it when it took it. */
export interface MessageReceipt {
  externalMessageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
}

/**
 * A channel's word on every message Sapa sent to one customer up to a point (Messenger's `watermark`: "all messages
 * sent before or at this timestamp were read"; Instagram's `read.mid`: that message and the ones before it).
 */
export interface WatermarkReceipt {
  /** The customer's id on the channel (the contact identity replies go to). */
  recipientExternalId: string;
  upTo: { at: Date } | { externalMessageId: string };
  status: 'delivered' | 'read';
}

/** Why a send failed, and whether trying again can help (a 4xx about our payload will not change by itself). */
export class SendFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    /** How long the channel asked us to wait before trying again (Telegram's `retry_after`); the retry waits at least this. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'SendFailure';
  }
}

export interface SendOptions {
  timeoutMs: number;
  /** The stored files of the message being sent (attachments with an `id`), for channels that upload or link them. */
  attachments: AttachmentAccess;
  /**
   * Publishes `message` to every gateway replica on Redis pub/sub topic `<prefix>:<topic>`, for channels whose
   * customer holds a socket on one of them (live chat). Absent where the worker has no Redis to give.
   */
  publish?: (topic: string, message: string) => Promise<void>;
  /** Spaces sends to what a provider takes per sender (WhatsApp Cloud: messages per second per number), across replicas. */
  throttle?: SendThrottle;
  /** For replies sent in several calls: how many an earlier attempt already made (send-parts.ts). */
  progress?: SendProgress;
}

/** A delivery's progress through the calls of its reply, kept in Postgres (deliveries.parts_sent). */
export interface SendProgress {
  /** Calls the channel took on earlier attempts: a retry starts after them. */
  done: number;
  record(done: number): Promise<void>;
}

/** A rate shared by every gateway replica (outbound/send-throttle.ts: a Redis GCRA bucket per key). */
export interface SendThrottle {
  /**
   * Waits for the next slot of `key` at `perSecond`. When none comes within `maxWaitMs`, takes none and throws a
   * retryable SendFailure whose retryAfterMs says when one will.
   */
  take(key: string, perSecond: number, maxWaitMs: number): Promise<void>;
}

/** How an outbound adapter reaches a stored attachment (@sapa/attachments): its bytes, or a short-lived public link. */
export interface AttachmentAccess {
  read(attachmentId: string): Promise<{ body: Buffer; contentType: string; filename?: string; size: number }>;
  /** A signed URL on the gateway's public address, valid `ttlSeconds` (default 1 h): for channels that fetch by link. */
  signedUrl(attachmentId: string, ttlSeconds?: number): string;
}

/** A customer's file as the channel hands it over; the media worker checks and stores it. */
export interface FetchedMedia {
  body: Buffer;
  contentType?: string;
  filename?: string;
}

/**
 * Fetches the bytes behind an inbound attachment's `url` (`whatsapp-media:<id>`, `telegram-file:<id>`, or a plain
 * https URL of the channel's CDN), with the channel's credentials. Throws SendFailure (retryable or not) on failure,
 * and stops reading past `maxBytes`.
 */
export interface MediaFetcher {
  fetch(url: string, channel: OpenedChannel, options: MediaFetchOptions): Promise<FetchedMedia>;
}

export interface MediaFetchOptions {
  timeoutMs: number;
  maxBytes: number;
  /**
   * Whether links chosen by a third party (an integrator's attachment URL) may point at private addresses. Off in
   * production (SAPA_MEDIA_ALLOW_PRIVATE_HOSTS); tests serve their files from 127.0.0.1.
   */
  allowPrivateHosts: boolean;
}

/** What the channel said when it took a message. */
export interface SendResult {
  /** The channel's id of the sent message (WhatsApp's `wamid`), stored on the message so later receipts find it. */
  externalId?: string;
}

export interface OutboundAdapter {
  /** Sends one delivery; resolves once the channel accepted it, throws (SendFailure where known) otherwise. */
  send(toSend: DeliveryToSend, channel: OpenedChannel, options: SendOptions): Promise<SendResult | void>;
}

/** One channel type's folder, as the gateway sees it (STYLE.md "A channel is a folder"). */
export interface ChannelAdapter {
  type: ChannelType;
  inbound?: InboundAdapter;
  outbound?: OutboundAdapter;
  /** Present for channels whose inbound attachments Sapa must download itself. */
  media?: MediaFetcher;
}
