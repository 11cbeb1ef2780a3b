import { signPayload, type ApiCallbackBody, type Attachment } from '@sapa/contracts';
import type { DeliveryToSend } from '@sapa/db/queries/deliveries';
import { SendFailure, type OpenedChannel, type SendOptions } from '../channel-adapter.js';
import { signingSecretOf } from './signing-secret.js';

/** How replies by Sapa itself (nudges, closings) are signed in `author.name`. */
const SYSTEM_AUTHOR_NAME = 'Sapa';
/** Enough of an integrator's error answer for an admin reading the dead-letter list. */
const ERROR_SNIPPET_CHARS = 200;

/**
 * POSTs a reply to the channel's callbackUrl, signed like inbound webhooks, with `X-Sapa-Delivery` equal to
 * the delivery id on every retry and replay so the integrator can deduplicate (api-contract.md §Generic API channel).
 */
export async function sendApiCallback(toSend: DeliveryToSend, channel: OpenedChannel, options: SendOptions): Promise<void> {
  const callbackUrl = channel.row.config.callbackUrl;
  if (typeof callbackUrl !== 'string') throw new SendFailure('the channel has no callbackUrl; set one on the channel', false);
  if (!toSend.recipientExternalId) throw new SendFailure('the contact has no identity on this channel', false);

  const raw = JSON.stringify(callbackBody(toSend, toSend.recipientExternalId, options));
  const timestamp = Math.floor(Date.now() / 1000);
  let response: Response;
  try {
    response = await fetch(callbackUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-sapa-timestamp': String(timestamp),
        'x-sapa-signature': signPayload(signingSecretOf(channel), timestamp, raw),
        'x-sapa-delivery': toSend.delivery.id,
      },
      body: raw,
      // A redirect is an answer like any other non-2xx: re-POSTing signed data elsewhere is not ours to decide.
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (err) {
    const reason = (err as Error).name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : causeOf(err);
    throw new SendFailure(`callback unreachable: ${reason}`, true);
  }
  const answer = await response.text().catch(() => '');
  if (!response.ok) {
    throw new SendFailure(`callback answered ${response.status}${answer ? `: ${answer.slice(0, ERROR_SNIPPET_CHARS)}` : ''}`, true);
  }
}

function callbackBody(toSend: DeliveryToSend, recipient: string, options: SendOptions): ApiCallbackBody {
  const { message } = toSend;
  const isAgent = message.author_type === 'agent';
  const quoted = quotedId(toSend);
  return {
    messageId: message.id,
    conversationId: toSend.conversation.id,
    to: { id: recipient },
    ...(message.text !== null && { text: message.text }),
    ...(message.attachments.length > 0 && { attachments: message.attachments.map((a) => linkedForIntegrator(a, options)) }),
    ...(quoted !== undefined && { replyTo: { messageId: quoted } }),
    author: {
      type: isAgent ? 'agent' : 'system',
      id: isAgent ? message.author_id : null,
      name: (isAgent ? toSend.authorName : null) ?? SYSTEM_AUTHOR_NAME,
    },
  };
}

/**
 * The message a reply answers, by the id the integrator knows it by: their own `messageId` for what they sent, the
 * callback's `messageId` (Sapa's id) for a reply Sapa posted them. A note of Sapa's own they never saw is not named.
 */
function quotedId(toSend: DeliveryToSend): string | undefined {
  const quoted = toSend.replyTo;
  if (!quoted) return undefined;
  return quoted.externalId ?? (quoted.direction === 'out' ? quoted.id : undefined);
}

/**
 * A file as the integrator gets it: one Sapa holds becomes a signed link on the gateway (valid an hour, the
 * integrator downloads it with no credentials); its `id` stays inside Sapa, the integrator never names files by it.
 */
function linkedForIntegrator(a: Attachment, options: SendOptions): Attachment {
  if (a.id === undefined) return a;
  const { id, error: _error, ...rest } = a;
  return { ...rest, url: options.attachments.signedUrl(id) };
}

function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
}
