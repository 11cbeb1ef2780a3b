import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFakeWhatsappMedia, type FakeWhatsappMedia } from './graph-api-media.js';

/**
 * A local stand-in for Meta's Graph API as the WhatsApp Cloud API uses it (ARCHITECTURE.md: third-party services are
 * replaced in tests by local servers speaking their documented wire format). It answers
 * `POST /{version?}/{phoneNumberId}/messages` like the Cloud API (and like the Messenger Platform's Send API when the
 * body has a `recipient` instead of `messaging_product`, for Messenger and Instagram), records every request with its
 * headers, and can be told to fail with Graph error bodies. `postSignedWebhook` plays Meta's side of a webhook.
 */

export interface GraphRequest {
  httpMethod: string;
  /** As requested, e.g. `/v21.0/1234567890/messages`. */
  path: string;
  phoneNumberId: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  /** When it arrived (ms since the epoch). */
  at: number;
}

/** One answer the fake gives instead of its normal one. */
export interface GraphFailure {
  status: number;
  headers?: Record<string, string>;
  body: { error: { message: string; type: string; code: number; error_subcode?: number; error_data?: { messaging_product: 'whatsapp'; details: string }; fbtrace_id: string } };
}

const graphError = (status: number, code: number, message: string, details: string, headers?: Record<string, string>): GraphFailure => ({
  status,
  ...(headers && { headers }),
  body: { error: { message, type: 'OAuthException', code, error_data: { messaging_product: 'whatsapp', details }, fbtrace_id: `A${randomBytes(8).toString('hex')}` } },
});

/** The Cloud API's own error answers (developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes). */
export const graphFailures = {
  rateLimited: (retryAfterSeconds?: number): GraphFailure =>
    graphError(429, 130429, '(#130429) Rate limit hit', 'Cloud API message throughput has been reached.', retryAfterSeconds ? { 'retry-after': String(retryAfterSeconds) } : undefined),
  pairRateLimited: (): GraphFailure =>
    graphError(400, 131056, '(#131056) (Business Account, Consumer Account) pair rate limit hit', 'Too many messages sent from the sender phone number to the same recipient phone number in a short period of time.'),
  accountRateLimited: (): GraphFailure => graphError(400, 80007, '(#80007) Rate limit issues', 'The WhatsApp Business Account has reached its rate limit.'),
  outsideWindow: (): GraphFailure =>
    graphError(400, 131047, '(#131047) Re-engagement message', 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.'),
  invalidRecipient: (): GraphFailure => graphError(400, 100, '(#100) Invalid parameter', 'Invalid parameter'),
  expiredToken: (): GraphFailure => graphError(401, 190, 'Error validating access token: Session has expired', 'Access token has expired'),
  internal: (): GraphFailure => graphError(500, 1, 'An unknown error occurred', 'Invalid request or possible server error.'),
};

const sendApiError = (status: number, code: number, message: string, subcode?: number): GraphFailure => ({
  status,
  body: { error: { message, type: 'OAuthException', code, ...(subcode !== undefined && { error_subcode: subcode }), fbtrace_id: `A${randomBytes(8).toString('hex')}` } },
});

/** The Messenger Platform Send API's own error answers (developers.facebook.com/docs/messenger-platform/error-codes). */
export const sendApiFailures = {
  outsideWindow: (): GraphFailure => sendApiError(400, 10, '(#10) This message is sent outside of allowed window.', 2018278),
  personUnavailable: (): GraphFailure => sendApiError(400, 551, "(#551) This person isn't available right now."),
  rateLimited: (): GraphFailure => sendApiError(400, 613, '(#613) Calls to this api have exceeded the rate limit.'),
  temporaryFailure: (): GraphFailure => sendApiError(500, 1200, '(#1200) Temporary send message failure. Please try again later.'),
};

/**
 * The Send API's answer to `POST /{page id}/messages` (Messenger and Instagram): `{recipient_id, message_id}`, or the
 * error Meta gives a request without a recipient, content, or a messaging type it takes.
 */
function sendApiAnswer(body: Record<string, unknown>): { status: number; body: unknown } {
  const recipient = body.recipient as { id?: unknown } | undefined;
  const message = body.message as { text?: unknown; attachment?: unknown } | undefined;
  const invalid = (what: string) => ({ status: 400, body: sendApiError(400, 100, `(#100) ${what}`).body });
  if (typeof recipient?.id !== 'string') return invalid('The parameter recipient is required');
  if (!message || (typeof message.text !== 'string' && typeof message.attachment !== 'object')) return invalid('Must send either message or state');
  if (typeof message.text === 'string' && message.text.length > 2000) return invalid('Length of param message[text] must be less than or equal to 2000');
  if (!['RESPONSE', 'UPDATE', 'MESSAGE_TAG'].includes(body.messaging_type as string)) return invalid('param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}');
  if (body.messaging_type === 'MESSAGE_TAG' && typeof body.tag !== 'string') return invalid('Param tag is required for MESSAGE_TAG');
  return { status: 200, body: { recipient_id: recipient.id, message_id: `m_${randomBytes(24).toString('base64url')}` } };
}

export interface FakeGraphApi {
  /** The `graphApiBase` of a channel that should talk to this fake, e.g. `http://127.0.0.1:40123/v21.0`. */
  url: string;
  requests: GraphRequest[];
  /** The `messages` sends received, in order. */
  messageSends(): GraphRequest[];
  /** The next `failures.length` sends get these answers, in order; later sends succeed again. */
  failNext(...failures: GraphFailure[]): void;
  /** WhatsApp media: customers' files to download, Sapa's uploads (graph-api-media.ts). */
  media: FakeWhatsappMedia;
  close(): Promise<void>;
}

const PATH = /^(?:\/v\d+\.\d+)?\/(\d+)\/messages$/;

export async function startFakeGraphApi(): Promise<FakeGraphApi> {
  const requests: GraphRequest[] = [];
  const failures: GraphFailure[] = [];
  const whatsappMedia = createFakeWhatsappMedia(() => `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const path = (req.url ?? '/').split('?')[0]!;
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) =>
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
      const sendBytes = (status: number, bytes: Buffer, contentType: string) => res.writeHead(status, { 'content-type': contentType }).end(bytes);
      if (await whatsappMedia.handle(req, new URL(req.url ?? '/', 'http://fake'), Buffer.concat(chunks), send, sendBytes)) return;
      const match = req.method === 'POST' ? PATH.exec(path) : null;
      if (!match) return send(400, graphError(400, 100, 'Unsupported post request.', 'Unknown path').body);
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        return send(400, graphError(400, 100, '(#100) Invalid parameter', 'The body is not JSON').body);
      }
      requests.push({ httpMethod: req.method ?? 'POST', path, phoneNumberId: match[1]!, headers: req.headers, body, at: Date.now() });
      const failure = failures.shift();
      if (failure) return send(failure.status, failure.body, failure.headers);
      if (!/^Bearer \S+$/.test(req.headers.authorization ?? '')) return send(401, graphFailures.expiredToken().body);
      if (body.messaging_product === undefined && 'recipient' in body) {
        const answer = sendApiAnswer(body);
        return send(answer.status, answer.body);
      }
      if (body.messaging_product !== 'whatsapp' || typeof body.to !== 'string') return send(400, graphFailures.invalidRecipient().body);
      // A reply names the message it quotes by its wamid (developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-replies).
      const context = body.context as { message_id?: unknown } | undefined;
      if (context !== undefined && (typeof context !== 'object' || typeof context.message_id !== 'string' || context.message_id === '')) {
        return send(400, graphError(400, 100, '(#100) Invalid parameter', 'context.message_id must be the wamid of the message replied to').body);
      }
      const refusal = whatsappMedia.refusalOf(body);
      if (refusal) return send(400, refusal);
      return send(200, {
        messaging_product: 'whatsapp',
        contacts: [{ input: body.to, wa_id: body.to }],
        messages: [{ id: `wamid.${randomBytes(24).toString('base64url')}` }],
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v21.0`,
    requests,
    messageSends: () => requests.filter((r) => r.path.endsWith('/messages')),
    failNext: (...more) => void failures.push(...more),
    media: whatsappMedia.media,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The `X-Hub-Signature-256` Meta puts on a webhook body: HMAC-SHA256 of the raw bytes keyed by the app secret. */
export function hubSignature(rawBody: string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/** A webhook body as Meta sends it: one entry, one `messages` change for `phoneNumberId` carrying `value`. */
export function whatsappWebhookBody(phoneNumberId: string, value: Record<string, unknown>): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '6281100000000', phone_number_id: phoneNumberId }, ...value } }],
      },
    ],
  };
}

let nextWamid = 1;

/** The `value` of a customer's text message (fields of `message` merged over it), with the sender's profile. */
export function textMessageValue(waId: string, text: string, message: Record<string, unknown> = {}, name = 'Budi Santoso'): Record<string, unknown> {
  return {
    contacts: [{ profile: { name }, wa_id: waId }],
    messages: [
      { from: waId, id: `wamid.HBgN${waId}${String(nextWamid++).padStart(6, '0')}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text }, ...message },
    ],
  };
}

/** The `value` of a status webhook about a message Sapa sent. */
export function statusValue(wamid: string, status: 'sent' | 'delivered' | 'read' | 'failed', recipientId: string): Record<string, unknown> {
  return { statuses: [{ id: wamid, status, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: recipientId }] };
}

/** POSTs a webhook body to the gateway as Meta does: JSON, signed with the app secret. */
export function postSignedWebhook(url: string, body: unknown, appSecret: string): Promise<Response> {
  const raw = JSON.stringify(body);
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': hubSignature(raw, appSecret) }, body: raw });
}
