import type { Kysely } from 'kysely';
import { conversationAssigned, conversationUpdated, messageCreated, type CallEvent } from '@sapa/contracts';
import { toConversationDto, toMessageDto, type DB } from '@sapa/db';
import { phoneToE164, type HandlingSettings } from '@sapa/handling';
import type { EventBus, Job, Producer } from '@sapa/queue';
import type { Logger, TtlCache } from '@sapa/service-kit';
import { applyCallEvent, type CallEffects } from './apply-call-event.js';

export interface CallEventDeps {
  db: Kysely<DB>;
  bus: EventBus;
  producer: Producer;
  logger: Logger;
  /** Tenant settings (the language of the notes Sapa writes), kept a few seconds per process. */
  settings: TtlCache<HandlingSettings>;
}

/**
 * The `voice.events` processor: applies the event (apply-call-event.ts), then tells the inbox and asks the router to
 * drain the teams whose queue may move. The job completes only after Postgres committed; a retry after a crash finds
 * the event applied and stops there (the router's periodic sweep assigns a callback task whose drain request was lost).
 */
export function callEventProcessor(deps: CallEventDeps) {
  return async (e: CallEvent, job: Job<CallEvent>): Promise<string> => {
    const at = new Date(e.at);
    if (Number.isNaN(at.getTime())) {
      deps.logger.warn({ tenantId: e.tenantId, channelId: e.channelId, jobId: job.id }, 'call event without a valid time dropped');
      return 'invalid';
    }
    const { locale } = await deps.settings.get(e.tenantId);
    // One form per number (E.164), whichever a PBX or an agent's dialling wrote (`0812…`, `+62812…`): the customer who
    // called in and the one an agent calls back must be one contact, or the callback task never sees its call.
    const caller = phoneToE164(e.caller) ?? e.caller;
    const effects = await applyCallEvent(deps.db, { ...e, caller }, locale);
    const log = { tenantId: e.tenantId, channelId: e.channelId, jobId: job.id, event: e.event, source: e.source };
    if (effects.kind !== 'applied') {
      deps.logger.info({ ...log, outcome: effects.kind }, 'call event skipped');
      return effects.kind;
    }
    deps.logger.info({ ...log, outcome: effects.outcome, callRecordId: effects.call.id, conversationId: effects.call.conversation_id }, 'call event applied');
    await announce(deps, e.tenantId, effects);
    if (effects.drainTeamIds.length > 0) {
      await deps.producer.add('routing', { tenantId: e.tenantId, teamIds: effects.drainTeamIds, reason: `voice_${e.event}` });
    }
    return effects.outcome;
  };
}

/** Live events after commit (pub/sub, at most once: Postgres is the record, the inbox re-reads it on reconnect). */
async function announce(deps: CallEventDeps, tenantId: string, effects: Extract<CallEffects, { kind: 'applied' }>): Promise<void> {
  if (!effects.conversation) return;
  const dto = toConversationDto(effects.conversation.row, effects.conversation.contact, 'voice');
  for (const message of effects.messages) await deps.bus.publish(messageCreated(tenantId, dto, toMessageDto(message)));
  if (effects.assignedTo && dto.assigneeId === effects.assignedTo && dto.status === 'assigned') {
    await deps.bus.publish(conversationAssigned(tenantId, dto));
    if (effects.previousAssignee) await deps.bus.publish(conversationUpdated(tenantId, dto, [effects.previousAssignee]));
  } else {
    await deps.bus.publish(conversationUpdated(tenantId, dto, effects.previousAssignee ? [effects.previousAssignee] : []));
  }
}
