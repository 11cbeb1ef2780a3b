import type { Kysely } from 'kysely';
import type { InboundMessage } from '@sapa/contracts';
import type { Conversation, DB } from '@sapa/db';
import type { EventBus, Job, Producer } from '@sapa/queue';
import type { Logger } from '@sapa/service-kit';
import { assignConversation } from './assign-conversation.js';
import { persistInbound } from './persist-inbound.js';
import { publishAssignments, publishMessageCreated } from './publish-events.js';

export interface InboundDeps {
  db: Kysely<DB>;
  bus: EventBus;
  producer: Producer;
  logger: Logger;
}

/**
 * The `inbound` processor: persist, then assign a new conversation, then tell the handling flow and the inbox. The job completes
 * only after Postgres committed; a retry after a crash finds the message stored and stops there.
 */
export function inboundProcessor(deps: InboundDeps) {
  return async (m: InboundMessage, job: Job<InboundMessage>): Promise<string> => {
    const outcome = await persistInbound(deps.db, m);
    if (outcome.kind !== 'stored') {
      deps.logger.info({ tenantId: m.tenantId, channelId: m.channelId, jobId: job.id, outcome: outcome.kind }, 'inbound skipped');
      return outcome.kind;
    }
    let { conversation } = outcome;
    let assigned: Conversation[] = [];
    if (conversation.status === 'queued') {
      const result = await assignConversation(deps.db, m.tenantId, conversation.id);
      conversation = result.conversation ?? conversation;
      assigned = result.assigned;
    }
    // The customer's word stops the inactivity clock (ticket service). Queued, not published: it must not be lost.
    await deps.producer.add('handling', {
      tenantId: m.tenantId,
      conversationId: conversation.id,
      type: 'customer_message',
      messageId: outcome.message.id,
      at: outcome.message.created_at.toISOString(),
    });
    await publishMessageCreated(deps.bus, conversation, outcome.contact, m.channelType, outcome.message);
    await publishAssignments(deps.db, deps.bus, assigned);
    return conversation.status;
  };
}
