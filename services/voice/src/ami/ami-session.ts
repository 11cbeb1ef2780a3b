import type { Kysely } from 'kysely';
import type { CallEvent } from '@sapa/contracts';
import type { DB } from '@sapa/db';
import { quarantineInbound } from '@sapa/db/queries/inbound-quarantine';
import type { Producer } from '@sapa/queue';
import type { Logger } from '@sapa/service-kit';
import { createAmiClient, type AmiClientOptions, type AmiState } from './ami-client.js';
import { CallTracker } from './call-tracker.js';
import { reconnectDelayMs } from './backoff.js';

/** One voice channel's PBX as the session reads it (channels.config.ami, with the sealed AMI secret opened). */
export interface AmiChannel {
  tenantId: string;
  channelId: string;
  host: string;
  port: number;
  user: string;
  secret: string;
  recordingBaseUrl?: string;
}

export interface AmiSessionDeps {
  db: Kysely<DB>;
  producer: Producer;
  logger: Logger;
  /** Client timings (tests shorten them). */
  client?: Pick<AmiClientOptions, 'keepaliveMs' | 'answerTimeoutMs' | 'backoff'>;
  onState?: (channelId: string, state: AmiState) => void;
}

export interface AmiSession {
  stop(): Promise<void>;
  /** Resolves once everything read so far is on queue `voice.events` (or quarantined). */
  drained(): Promise<void>;
}

/** How often an event is offered to Redis before it is kept in the quarantine instead (never dropped). */
const ENQUEUE_ATTEMPTS = 8;

/**
 * Reads one channel's AMI stream into queue `voice.events`: each frame through the call tracker, each call event
 * enqueued in the order read (one chain per session, so a later event never overtakes an earlier one). A frame that
 * is not AMI, or an event missing the fields that name its call, is kept with `quarantineInbound` (source `ami`) and
 * reading goes on. An event Redis keeps refusing is quarantined too, with the event itself, rather than lost.
 */
export function startAmiSession(channel: AmiChannel, deps: AmiSessionDeps): AmiSession {
  const log = deps.logger.child({ tenantId: channel.tenantId, channelId: channel.channelId });
  const tracker = new CallTracker({ ...(channel.recordingBaseUrl && { recordingBaseUrl: channel.recordingBaseUrl }) });
  let chain: Promise<void> = Promise.resolve();
  const later = (work: () => Promise<void>) => {
    chain = chain.then(work).catch((err: unknown) => log.error({ err }, 'AMI session step failed'));
  };

  const quarantine = (raw: string, reason: string, details: Record<string, unknown> = {}) =>
    later(async () => {
      log.warn({ reason }, 'AMI input quarantined');
      await quarantineInbound(deps.db, { tenantId: channel.tenantId, channelId: channel.channelId, source: 'ami', reason, payload: raw, details: { host: channel.host, ...details } });
    });

  const enqueue = (event: CallEvent) =>
    later(async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          await deps.producer.add('voice.events', event);
          return;
        } catch (err) {
          if (attempt + 1 >= ENQUEUE_ATTEMPTS) {
            log.error({ err, callId: event.callId, event: event.event }, 'call event could not be queued; quarantined');
            await quarantineInbound(deps.db, {
              tenantId: channel.tenantId,
              channelId: channel.channelId,
              source: 'ami',
              reason: `could not queue the call event: ${(err as Error).message}`,
              payload: JSON.stringify(event),
              details: { callId: event.callId, event: event.event, kind: 'call_event' },
            });
            return;
          }
          await new Promise((r) => setTimeout(r, reconnectDelayMs(attempt, { minMs: 200, maxMs: 5000 })));
        }
      }
    });

  const client = createAmiClient({
    host: channel.host,
    port: channel.port,
    username: channel.user,
    secret: channel.secret,
    logger: log,
    ...deps.client,
    onState: (state) => deps.onState?.(channel.channelId, state),
    onMalformed: (raw, reason) => quarantine(raw, reason),
    onEvent: (frame) => {
      const result = tracker.track(frame);
      if ('problem' in result) {
        quarantine(Object.entries(frame).map(([k, v]) => `${k}: ${v}`).join('\r\n'), result.problem, { event: frame.Event });
        return;
      }
      for (const e of result.events) enqueue({ ...e, tenantId: channel.tenantId, channelId: channel.channelId, source: 'ami' });
    },
  });
  client.start();
  return {
    async stop() {
      await client.stop();
      await chain;
    },
    drained: () => chain,
  };
}
