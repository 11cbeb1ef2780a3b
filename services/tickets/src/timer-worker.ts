import type { Kysely } from 'kysely';
import type { HandlingTimer } from '@sapa/contracts';
import type { DB } from '@sapa/db';
import type { EventBus, Job, Producer } from '@sapa/queue';
import type { Logger } from '@sapa/service-kit';
import { fireTimer } from './fire-timer.js';
import { publishClosed, publishSystemMessage } from './publish-events.js';
import type { TenantCalendars } from './tenant-calendar.js';

/** One timer that acted, with how late it ran: what the lateness metric, the tests and the benchmark read. */
export interface FiredTimer {
  timer: HandlingTimer;
  jobId: string | undefined;
  dueAt: Date;
  firedAt: Date;
  latenessMs: number;
  messageId: string;
}

export interface TimerDeps {
  db: Kysely<DB>;
  producer: Producer;
  bus: EventBus;
  logger: Logger;
  calendars: TenantCalendars;
  onFired?: (fired: FiredTimer) => void;
}

/**
 * The `timers` processor: a nudge, the closing after silence, or a live-chat leave's question and closing.
 * fireTimer decides and commits; after commit the delivery goes on the channel's outbound queue (its job id is the
 * delivery's, so a repeat is harmless; should Redis refuse, the gateway's sweeper finds the delivery pending), a
 * closing asks the router to hand the freed room to the team's queue, and the inbox hears of it.
 */
export function timerProcessor(deps: TimerDeps) {
  return async (t: HandlingTimer, job: Job<HandlingTimer>): Promise<string> => {
    const calendar = await deps.calendars.get(t.tenantId);
    const firedAt = new Date();
    const outcome = await fireTimer(deps.db, t, calendar, firedAt);
    const ids = { tenantId: t.tenantId, conversationId: t.conversationId, jobId: job.id, kind: t.kind };
    if (outcome.kind === 'stale') {
      deps.logger.debug({ ...ids, reason: outcome.reason }, 'timer stale');
      return `stale:${outcome.reason}`;
    }
    if (outcome.kind === 'skipped') {
      // Recorded in the audit log by fireTimer; a closing still closed, and its room goes back to the team's queue.
      if (outcome.closed && outcome.before.assignee_id && outcome.conversation.team_id) {
        await deps.producer.add('routing', { tenantId: t.tenantId, teamIds: [outcome.conversation.team_id], reason: 'closed_no_response' });
      }
      if (outcome.closed) await publishClosed(deps.bus, outcome.conversation, outcome.contact, outcome.channelType);
      deps.logger.warn({ ...ids, reason: outcome.reason, closed: outcome.closed }, 'timer text skipped: outside the WhatsApp 24-hour window and no template configured');
      return `skipped:${outcome.reason}`;
    }
    const { message, delivery, outboundQueue, conversation, contact, channelType } = outcome;
    if (delivery && outboundQueue) {
      await deps.producer.add(outboundQueue, { tenantId: t.tenantId, deliveryId: delivery.id, messageId: message.id, replay: 0 });
    }
    if (outcome.closed && outcome.before.assignee_id && conversation.team_id) {
      await deps.producer.add('routing', { tenantId: t.tenantId, teamIds: [conversation.team_id], reason: 'closed_no_response' });
    }
    await publishSystemMessage(deps.bus, conversation, contact, channelType, message);
    if (outcome.closed) await publishClosed(deps.bus, conversation, contact, channelType);

    const dueAt = new Date(job.timestamp + (job.opts.delay ?? 0));
    const latenessMs = firedAt.getTime() - dueAt.getTime();
    deps.logger.info({ ...ids, messageId: message.id, latenessMs, closed: outcome.closed, sentOnChannel: Boolean(delivery) }, 'timer fired');
    deps.onFired?.({ timer: t, jobId: job.id, dueAt, firedAt, latenessMs, messageId: message.id });
    return t.kind;
  };
}
