import { conversationUpdated, firstResponseBreached, type ResponseTimer } from '@sapa/contracts';
import { toConversationDto } from '@sapa/db';
import { contactsAndChannelTypes } from '@sapa/db/queries/conversations';
import type { Logger } from '@sapa/service-kit';
import { announceAssignments, startResponseTimer, type AnnounceDeps } from '../announce-assignments.js';
import { drainTeam } from '../assign-conversation.js';
import { fireResponseTimer } from './fire-response-timer.js';

export interface ResponseDeps extends AnnounceDeps {
  logger: Logger;
}

/**
 * The `routing.response` processor: an assigned conversation's agent has not answered in time. After the step
 * committed, the leaders of the team it was in hear of it (`sla.breached`), the agent who lost it and the team see
 * it change (`conversation.updated`), and a conversation back in a queue is drained at once — to another agent, since
 * the one who did not answer is passed over.
 */
export function responseProcessor(deps: ResponseDeps) {
  return async (t: ResponseTimer): Promise<string> => {
    const settings = await deps.settings.get(t.tenantId);
    const outcome = await fireResponseTimer(deps.db, t, settings.routing);
    if (outcome.kind === 'stale') return `stale:${outcome.reason}`;

    const { conversation, agentId, fromTeamId, action } = outcome;
    const [ref] = await contactsAndChannelTypes(deps.db, t.tenantId, [conversation.id]);
    const dto = toConversationDto(conversation, { id: conversation.contact_id, name: ref?.contact_name ?? null }, ref?.channel_type ?? 'api');
    if (fromTeamId) await deps.bus.publish(firstResponseBreached(t.tenantId, dto, fromTeamId, agentId, action));
    deps.logger.info({ tenantId: t.tenantId, conversationId: t.conversationId, agentId, step: t.step, action }, 'first response late');

    if (outcome.kind === 'alerted') {
      await startResponseTimer(deps.producer, conversation, settings.routing);
      return action;
    }
    await deps.bus.publish(conversationUpdated(t.tenantId, dto, [agentId]));
    if (conversation.team_id) await announceAssignments(deps, await drainTeam(deps.db, t.tenantId, conversation.team_id, 1000, deps.allocators));
    return action;
  };
}
