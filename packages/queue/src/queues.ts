import { createHash } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import type { CallEvent, DrainRequest, OriginateRequest, HandlingEvent, HandlingTimer, InboundMessage, MediaFetch, OutboundDelivery, ResponseTimer, TicketTimerJob } from '@sapa/contracts';

/**
 * Every queue Sapa uses, with its payload type and job options, in one typed map
 * (ARCHITECTURE.md §The path of a message). Producers and workers both import this; neither imports the other.
 */
export interface QueuePayloads {
  inbound: InboundMessage;
  routing: DrainRequest;
  'outbound.api': OutboundDelivery;
  'outbound.telegram': OutboundDelivery;
  'outbound.whatsapp_cloud': OutboundDelivery;
  'outbound.email': OutboundDelivery;
  'outbound.livechat': OutboundDelivery;
  'outbound.whatsapp_baileys': OutboundDelivery;
  'outbound.messenger': OutboundDelivery;
  'outbound.instagram': OutboundDelivery;
  handling: HandlingEvent;
  timers: HandlingTimer;
  'ticket.timers': TicketTimerJob;
  'routing.response': ResponseTimer;
  'media.fetch': MediaFetch;
  'voice.events': CallEvent;
  'voice.originate': OriginateRequest;
}
export type QueueName = keyof QueuePayloads;

export interface QueueDefinition<N extends QueueName> {
  name: N;
  /** Job id derived from the payload, so a retry or a second replica cannot enqueue the same work twice. */
  jobId: (payload: QueuePayloads[N]) => string;
  options: JobsOptions;
}

/** BullMQ refuses ids with `:` or that are integers; ids built from outside data are hashed first. */
export function hashId(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 32);
}

/**
 * Backoff of outbound jobs: exponential from `delay`, computed by the outbound worker's
 * `settings.backoffStrategy` (BullMQ calls it for a non-builtin type), so a worker may scale the base down.
 */
export const OUTBOUND_BACKOFF = 'outbound-exponential';

const KEEP = { removeOnComplete: { age: 3600, count: 10_000 }, removeOnFail: { age: 7 * 24 * 3600 } };

/**
 * Every `outbound.<type>` queue: one job per delivery and replay (a retry or the sweeper cannot send twice), and
 * api-contract.md §Generic API channel's retry policy, 5 attempts with backoff, for every channel alike.
 */
const OUTBOUND: Omit<QueueDefinition<'outbound.api'>, 'name'> = {
  jobId: (d) => `out.${d.deliveryId}.${d.replay}`,
  options: { ...KEEP, attempts: 5, backoff: { type: OUTBOUND_BACKOFF, delay: 1000 } },
};

export const QUEUES: { [N in QueueName]: QueueDefinition<N> } = {
  'media.fetch': {
    name: 'media.fetch',
    // One job per message: the router retrying its inbound job cannot fetch the files twice. Fetching waits on
    // outside servers (a CDN, the channel's API), so it retries patiently; the last attempt records what failed.
    jobId: (m) => `media.${m.messageId}`,
    options: { ...KEEP, attempts: 6, backoff: { type: 'exponential', delay: 2000 } },
  },
  inbound: {
    name: 'inbound',
    jobId: (m) => `in.${hashId(m.channelId, m.externalMessageId)}`,
    options: { ...KEEP, attempts: 10, backoff: { type: 'exponential', delay: 500 } },
  },
  routing: {
    name: 'routing',
    // Unique on purpose: a drain is idempotent, and one already running may have read the queue before the
    // change that asks for this one, so it must not swallow it as a duplicate.
    jobId: (d) => `drain.${hashId(d.tenantId, ...[...d.teamIds].sort())}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}`,
    options: { removeOnComplete: true, removeOnFail: { age: 24 * 3600 }, attempts: 5, backoff: { type: 'exponential', delay: 200 } },
  },
  'outbound.api': { name: 'outbound.api', ...OUTBOUND },
  'outbound.telegram': { name: 'outbound.telegram', ...OUTBOUND },
  'outbound.whatsapp_cloud': { name: 'outbound.whatsapp_cloud', ...OUTBOUND },
  'outbound.email': { name: 'outbound.email', ...OUTBOUND },
  'outbound.livechat': { name: 'outbound.livechat', ...OUTBOUND },
  'outbound.whatsapp_baileys': { name: 'outbound.whatsapp_baileys', ...OUTBOUND },
  'outbound.messenger': { name: 'outbound.messenger', ...OUTBOUND },
  'outbound.instagram': { name: 'outbound.instagram', ...OUTBOUND },
  handling: {
    name: 'handling',
    jobId: (e) => `h.${e.conversationId}.${e.type}.${hashId(e.messageId ?? e.at)}`,
    options: { ...KEEP, attempts: 10, backoff: { type: 'exponential', delay: 500 } },
  },
  timers: {
    name: 'timers',
    // One job per timer of one clock: retries and replicas cannot send a nudge twice (STYLE.md: nudge.<id>.<seq>).
    jobId: (t) => `${t.kind}.${t.conversationId}.${t.seq}`,
    options: { ...KEEP, attempts: 5, backoff: { type: 'exponential', delay: 200 } },
  },
  'ticket.timers': {
    name: 'ticket.timers',
    // One job per timer and planned time: the sweeper re-adding it is a no-op, a moved timer gets its own job.
    jobId: (t) => `tt.${t.timerId}.${Date.parse(t.fireAt)}`,
    options: { removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 }, attempts: 8, backoff: { type: 'exponential', delay: 500 } },
  },
  'routing.response': {
    name: 'routing.response',
    // One timer per assignment and chain step: a retry or a second router cannot take a step twice.
    jobId: (t) => `fr.${t.conversationId}.${Date.parse(t.assignedAt)}.${t.step}`,
    options: { ...KEEP, attempts: 8, backoff: { type: 'exponential', delay: 500 } },
  },
  'voice.events': {
    name: 'voice.events',
    // One job per event of a call (at one extension: a queue rings several): a PBX's retry or an AMI reconnect that
    // replays it adds nothing while the job is kept; the voice service's record of applied events is the last guard.
    jobId: (e) => `ve.${hashId(e.channelId, e.callId, e.event, e.agentExtension ?? '')}`,
    options: { ...KEEP, attempts: 10, backoff: { type: 'exponential', delay: 500 } },
  },
  'voice.originate': {
    name: 'voice.originate',
    // One job per click: a retry of the job cannot ring the agent twice for it. Few, quick attempts: a call placed
    // late rings a phone nobody waits on any more (the worker drops a request older than a minute).
    jobId: (o) => `orig.${o.conversationId}.${Date.parse(o.requestedAt)}`,
    options: { ...KEEP, attempts: 3, backoff: { type: 'exponential', delay: 1000 } },
  },
};

/** The queue that carries replies out on a channel of this type. */
export function outboundQueueFor(channelType: string): QueueName | undefined {
  const name = `outbound.${channelType}`;
  return name in QUEUES ? (name as QueueName) : undefined;
}
