import type { InboundMessage, RoutingRule } from '@sapa/contracts';
import type { Conversation } from '@sapa/db';
import { findInboundAwaitingMedia } from '@sapa/db/queries/message-attachments';
import type { Job } from '@sapa/queue';
import type { Logger, TtlCache } from '@sapa/service-kit';
import { announceAssignments, type AnnounceDeps } from './announce-assignments.js';
import { assignConversation } from './assign-conversation.js';
import { persistInbound } from './persist-inbound.js';
import { publishMessageCreated } from './publish-events.js';
import { tellWaitingCustomer, type WaitingNoticeDeps } from './waiting-notice.js';

export interface InboundDeps extends AnnounceDeps, WaitingNoticeDeps {
  logger: Logger;
  rules: TtlCache<readonly RoutingRule[]>;
}

/**
 * The `inbound` processor: persist, then assign a new conversation, then tell the handling flow and the inbox.
 * The job completes only after Postgres committed; a retry after a crash finds the message stored and stops
 * there (the sweep assigns what waits; a ticket-service timer checks the transcript itself).
 */
export function inboundProcessor(deps: InboundDeps) {
  return async (m: InboundMessage, job: Job<InboundMessage>): Promise<string> => {
    const outcome = await persistInbound(deps.db, m, () => deps.rules.get(m.tenantId));
    if (outcome.kind === 'duplicate' && m.attachments.length > 0) {
      // A retry of a job whose first try stored the message and died before asking for its files: ask now (the
      // media job's id is the message's, so a request made already is not made twice).
      const waiting = await findInboundAwaitingMedia(deps.db, m.tenantId, m.channelId, m.externalMessageId);
      if (waiting) await deps.producer.add('media.fetch', { tenantId: m.tenantId, messageId: waiting });
    }
    if (outcome.kind !== 'stored') {
      deps.logger.info({ tenantId: m.tenantId, channelId: m.channelId, jobId: job.id, outcome: outcome.kind }, 'inbound skipped');
      return outcome.kind;
    }
    // Files the channel only pointed at are fetched and kept by the gateway's media worker (@sapa/attachments).
    if (outcome.message.attachments.some((a) => a.id === undefined && a.error === undefined)) {
      await deps.producer.add('media.fetch', { tenantId: m.tenantId, messageId: outcome.message.id });
    }
    let { conversation } = outcome;
    let assigned: Conversation[] = [];
    if (conversation.status === 'queued') {
      const result = await assignConversation(deps.db, m.tenantId, conversation.id, deps.allocators);
      conversation = result.conversation ?? conversation;
      assigned = result.assigned;
    }
    // The customer's word stops the inactivity clock (ticket service); queued, not published, so it is not lost.
    if (clockMayRun(conversation, m.channelType)) {
      await deps.producer.add('handling', {
        tenantId: m.tenantId,
        conversationId: conversation.id,
        type: 'customer_message',
        messageId: outcome.message.id,
        at: outcome.message.created_at.toISOString(),
      });
    }
    await publishMessageCreated(deps.bus, conversation, outcome.contact, m.channelType, outcome.message);
    await announceAssignments(deps, assigned);
    // After the customer's own message, so the transcript reads in order.
    if (outcome.newConversation) await tellWaitingCustomer(deps, conversation, outcome.contact, m.channelType);
    return conversation.status;
  };
}

/**
 * Whether an inactivity clock may be running, as the ticket service last recorded the two sides: an agent spoke
 * and the customer has not answered since. Only then does a customer message need to reach the ticket service
 * at once; a later line of the same customer turn, or a message before any agent word, changes no clock. Should
 * that record lag behind (the agent's word not yet handled), the timer itself finds the customer's message before
 * it nudges (services/tickets fire-timer.ts). A live chat may run a clock from the customer leaving, which this
 * record does not show, so its messages are always reported.
 */
export function clockMayRun(c: Conversation, channelType: string): boolean {
  if (channelType === 'livechat') return true;
  const agent = c.last_agent_message_at;
  const contact = c.last_contact_message_at;
  return agent !== null && (contact === null || contact < agent);
}
