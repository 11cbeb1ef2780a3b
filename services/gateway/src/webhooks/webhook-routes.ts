import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MAX_WEBHOOK_BYTES, receivedAtOf } from '@sapa/contracts';
import { SapaError } from '@sapa/service-kit';
import type { ChannelAdapter, InboundAdapter, OpenedChannel } from '../channels/channel-adapter.js';
import { CHANNEL_ADAPTERS } from '../channels/registry.js';
import { ChannelNotFound } from '../errors.js';
import { acceptJob, inboundJob, type AcceptDeps, type AcceptOutcome } from '../inbound/accept-inbound.js';
import { applyReceipts, type ReceiptDeps } from './apply-receipts.js';
import type { ChannelLookup } from './channel-lookup.js';

export interface WebhookRoutesOptions {
  /** Kept apart from the plugin options themselves: fastify reads a `prefix` option as a route prefix. */
  accept: AcceptDeps;
  findChannel: ChannelLookup;
  /** Where channels' receipts (delivered, read) are recorded and announced. */
  receipts: ReceiptDeps;
  /** The clock signatures are checked against (tests move it). */
  now: () => Date;
}

declare module 'fastify' {
  interface FastifyRequest {
    webhookChannel: OpenedChannel | null;
    /** The inbound adapter of the channel's type, among those sharing the URL's segment. */
    webhookAdapter: InboundAdapter | null;
  }
}

/**
 * `POST /webhooks/<segment>/:channelId` for every channel with an inbound adapter (and `GET` for those with a
 * handshake). Order of refusals: unknown
 * channel (404) before the body is read, then size (413) and media type (415), then the signature (401), and only
 * then is the body parsed and validated (400). Nothing is enqueued unless all of them pass; a valid body without a
 * customer message in it is answered `200 {"status":"ignored"}`.
 */
export async function webhookRoutes(app: FastifyInstance, options: WebhookRoutesOptions): Promise<void> {
  // Signatures are over the exact bytes received, so this scope keeps JSON bodies raw and accepts nothing else.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: MAX_WEBHOOK_BYTES }, (_request, body, done) =>
    done(null, body),
  );
  app.decorateRequest('webhookChannel', null);
  app.decorateRequest('webhookAdapter', null);

  for (const [segment, adapters] of adaptersBySegment()) {
    registerWebhook(app, segment, adapters, options);
    if (adapters.some((a) => a.inbound.handshake)) registerHandshake(app, segment, adapters, options);
  }
}

type WithInbound = ChannelAdapter & { inbound: InboundAdapter };

/**
 * Channel types that share a segment share its URL (Meta's `messenger` and `instagram` under `/webhooks/meta/`): the
 * channel the URL names says which of them reads the request.
 */
function adaptersBySegment(): Map<string, WithInbound[]> {
  const bySegment = new Map<string, WithInbound[]>();
  for (const adapter of CHANNEL_ADAPTERS) {
    if (!adapter.inbound) continue;
    bySegment.set(adapter.inbound.segment, [...(bySegment.get(adapter.inbound.segment) ?? []), adapter as WithInbound]);
  }
  return bySegment;
}

/** Finds the URL's channel, of a type served on this segment, or answers 404 before anything else is read. */
function channelOfType(adapters: WithInbound[], options: WebhookRoutesOptions) {
  return async (request: FastifyRequest<{ Params: { channelId: string } }>) => {
    const channel = await options.findChannel(request.params.channelId);
    const adapter = channel && adapters.find((a) => a.type === channel.row.type);
    if (!channel || !adapter) throw ChannelNotFound();
    request.webhookChannel = channel;
    request.webhookAdapter = adapter.inbound;
  };
}

/**
 * `GET /webhooks/<segment>/:channelId` for providers that check a URL before sending to it (Meta): the challenge
 * as text/plain, or 403 for a wrong mode or token.
 */
function registerHandshake(app: FastifyInstance, segment: string, adapters: WithInbound[], options: WebhookRoutesOptions): void {
  app.get<{ Params: { channelId: string }; Querystring: Record<string, unknown> }>(
    `/webhooks/${segment}/:channelId`,
    { onRequest: channelOfType(adapters, options) },
    async (request, reply) => {
      const channel = request.webhookChannel!;
      const handshake = request.webhookAdapter!.handshake;
      if (!handshake) throw ChannelNotFound();
      const challenge = handshake(request.query, channel);
      request.log.info({ tenantId: channel.row.tenant_id, channelId: channel.row.id }, 'webhook handshake answered');
      return reply.status(200).type('text/plain; charset=utf-8').send(challenge);
    },
  );
}

function registerWebhook(app: FastifyInstance, segment: string, adapters: WithInbound[], options: WebhookRoutesOptions): void {
  app.post<{ Params: { channelId: string } }>(
    `/webhooks/${segment}/:channelId`,
    {
      bodyLimit: MAX_WEBHOOK_BYTES,
      onRequest: channelOfType(adapters, options),
    },
    async (request, reply) => {
      const channel = request.webhookChannel!;
      const inbound = request.webhookAdapter!;
      const webhook = { headers: request.headers, rawBody: rawBodyOf(request) };
      const now = options.now();
      inbound.verify(webhook, channel, Math.floor(now.getTime() / 1000));
      // A batch's messages share `now`: their place in it goes in receivedAt's microseconds, the order the router stores.
      const jobs = inbound.jobs
        ? inbound.jobs(webhook, channel, now)
        : inbound.parse(webhook, channel, now).map((m, i) => inboundJob({ ...m, receivedAt: receivedAtOf(now, i) }));
      const receipts = inbound.receipts?.(webhook, channel) ?? [];
      if (receipts.length > 0) {
        const changed = await applyReceipts(options.receipts, channel, receipts);
        request.log.info({ tenantId: channel.row.tenant_id, channelId: channel.row.id, receipts: receipts.length, changed }, 'receipts applied');
      }
      if (jobs.length === 0) {
        // A verified delivery with no customer message in it (a Telegram callback, a group chat, WhatsApp statuses):
        // acknowledged so the provider stops sending it again, and nothing is enqueued.
        request.log.info({ tenantId: channel.row.tenant_id, channelId: channel.row.id }, 'webhook ignored');
        return reply.status(200).send({ status: 'ignored' });
      }

      const outcomes: AcceptOutcome[] = [];
      try {
        for (const job of jobs) outcomes.push(await acceptJob(options.accept, job));
      } catch (err) {
        if (err instanceof SapaError && err.code === 'duplicate_in_flight') void reply.header('retry-after', '1');
        throw err;
      }
      const accepted = outcomes.some((o) => o.status === 'accepted');
      request.log.info(
        { tenantId: channel.row.tenant_id, channelId: channel.row.id, jobIds: outcomes.flatMap((o) => (o.status === 'accepted' ? [o.jobId] : [])) },
        accepted ? 'webhook accepted' : 'webhook duplicate',
      );
      return reply.status(accepted ? 202 : 200).send({ status: accepted ? 'accepted' : 'duplicate' });
    },
  );
}

/** The body as the parser above left it; an empty POST has none. */
function rawBodyOf(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}
