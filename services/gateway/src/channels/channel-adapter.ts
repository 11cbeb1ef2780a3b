import type { ChannelType, InboundMessage } from '@sapa/contracts';
import type { Channel } from '@sapa/db';
import type { DeliveryToSend } from '@sapa/db/queries/deliveries';

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
}

export interface OutboundAdapter {
  /** Sends one delivery; resolves once the channel accepted it, throws (SendFailure where known) otherwise. */
  send(toSend: DeliveryToSend, channel: OpenedChannel, options: SendOptions): Promise<void>;
}

/** One channel type's folder, as the gateway sees it (STYLE.md "A channel is a folder"). */
export interface ChannelAdapter {
  type: ChannelType;
  inbound?: InboundAdapter;
  outbound?: OutboundAdapter;
}
