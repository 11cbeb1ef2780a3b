import type { Kysely } from 'kysely';
import type { ChannelType, HandlingEvent } from '@sapa/contracts';
import type { DB } from '@sapa/db';
import { lockClock, setClock } from '@sapa/db/queries/handling-clock';
import { nudgeSchedule } from '@sapa/handling';
import type { Job, Producer } from '@sapa/queue';
import type { Logger } from '@sapa/service-kit';
import { decideClock } from './clock-event.js';
import { cancelledSeq, nextClockBase } from './clock-seq.js';
import type { TenantCalendars } from './tenant-calendar.js';

export interface HandlingDeps {
  db: Kysely<DB>;
  producer: Producer;
  logger: Logger;
  calendars: TenantCalendars;
}

/**
 * The `handling` processor: one event of a conversation (a message of either side, a status change, a live-chat
 * leave) moves its inactivity clock. In one transaction with the conversation row locked it stores the last word of
 * each side, numbers the new timers (clock-seq.ts) and adds them as delayed jobs on `timers`.
 *
 * The timers are added while the row is still locked, before commit, not after: a crash after commit but before the
 * add would leave the conversation without a clock for good (its redelivered event is then "not newer" and ignored),
 * while a crash before commit rolls the row back and the retry adds the same timers again under the same
 * deterministic job ids, which Redis keeps once. A timer that comes due at once (a live-chat leave) waits on the row
 * lock, so it reads the committed clock.
 */
export function handlingProcessor(deps: HandlingDeps) {
  return async (e: HandlingEvent, job: Job<HandlingEvent>): Promise<string> => {
    const at = new Date(e.at);
    if (Number.isNaN(at.getTime())) {
      deps.logger.warn({ tenantId: e.tenantId, conversationId: e.conversationId, jobId: job.id }, 'handling event without a valid time dropped');
      return 'invalid';
    }
    // Read before the row lock, to keep the lock short; settings change rarely and take effect on the next event.
    const { settings } = await deps.calendars.get(e.tenantId);
    return deps.db.transaction().execute(async (trx) => {
      const clocked = await lockClock(trx, e.tenantId, e.conversationId);
      if (!clocked) return 'not_found';
      const conv = clocked.conversation;
      const sides = { lastAgentMessageAt: conv.last_agent_message_at, lastContactMessageAt: conv.last_contact_message_at };
      const decision = decideClock(sides, { type: e.type, at }, conv.status);
      if (decision.kind === 'ignore') return decision.reason;
      if (decision.kind === 'record') {
        await setClock(trx, e.tenantId, conv.id, { ...decision.sides, nudgeSeq: conv.nudge_seq });
        return 'recorded';
      }
      const timers = decision.event
        ? nudgeSchedule({
            settings: settings.inactivity,
            channelType: clocked.channelType as ChannelType,
            status: conv.status,
            event: decision.event,
            lastSeq: nextClockBase(conv.nudge_seq),
          })
        : [];
      for (const t of timers) {
        // BullMQ counts a delay from its own add time: read the clock per add, or a slow add moves the later timers.
        await deps.producer.add(
          'timers',
          { tenantId: e.tenantId, conversationId: conv.id, kind: t.kind, seq: t.seq },
          { delay: Math.max(0, t.dueAt.getTime() - Date.now()) },
        );
      }
      await setClock(trx, e.tenantId, conv.id, { ...decision.sides, nudgeSeq: timers[0]?.seq ?? cancelledSeq(conv.nudge_seq) });
      return timers.length > 0 ? 'armed' : 'cancelled';
    });
  };
}
