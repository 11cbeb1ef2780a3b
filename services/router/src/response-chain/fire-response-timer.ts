import type { Kysely } from 'kysely';
import type { ResponseTimer } from '@sapa/contracts';
import type { Conversation, DB } from '@sapa/db';
import { lockConversation } from '@sapa/db/queries/conversations';
import { advanceResponseStep, agentAnsweredSince, takeBackFromAgent } from '@sapa/db/queries/response-chain';
import type { ResponseChainStep, RoutingSettings } from '@sapa/handling';

export type ResponseOutcome =
  | { kind: 'stale'; reason: 'not_assigned' | 'reassigned' | 'step_taken' | 'answered' | 'chain_done' }
  /** Taken back from the agent (reassign, requeue, escalate): it waits in `conversation.team_id`'s queue. */
  | { kind: 'taken'; action: ResponseChainStep['action']; conversation: Conversation; agentId: string | null; fromTeamId: string | null }
  /** Left with the agent; the team leader is alerted and the chain's next step is timed. */
  | { kind: 'alerted'; action: ResponseChainStep['action']; conversation: Conversation; agentId: string | null; fromTeamId: string | null };

/**
 * One step of the first-response chain, in one transaction with the conversation locked. The timer is stale unless
 * the conversation is still with the same assignment at the same step and no agent has written since it was
 * assigned; so a reply, a transfer, a close or a second router running the same timer all make it do nothing.
 */
export function fireResponseTimer(db: Kysely<DB>, t: ResponseTimer, settings: RoutingSettings): Promise<ResponseOutcome> {
  return db.transaction().execute(async (trx): Promise<ResponseOutcome> => {
    const conv = await lockConversation(trx, t.tenantId, t.conversationId);
    if (!conv || conv.status !== 'assigned' || !conv.assigned_at) return { kind: 'stale', reason: 'not_assigned' };
    if (conv.assigned_at.getTime() !== Date.parse(t.assignedAt)) return { kind: 'stale', reason: 'reassigned' };
    if (conv.response_step !== t.step) return { kind: 'stale', reason: 'step_taken' };
    if (await agentAnsweredSince(trx, conv.id, conv.assigned_at)) return { kind: 'stale', reason: 'answered' };
    const step = settings.responseChain[t.step];
    if (!step) return { kind: 'stale', reason: 'chain_done' };

    const before = { agentId: conv.assignee_id, fromTeamId: conv.team_id };
    const escalateTo =
      step.action === 'escalate'
        ? await trx.selectFrom('teams').select('id').where('tenant_id', '=', t.tenantId).where('key', '=', step.team).executeTakeFirst()
        : undefined;
    switch (step.action) {
      case 'reassign':
        return { kind: 'taken', action: step.action, ...before, conversation: await takeBackFromAgent(trx, t.tenantId, conv, { passOver: true, action: 'unassigned', reason: 'no_first_response' }) };
      case 'requeue':
        return {
          kind: 'taken',
          action: step.action,
          ...before,
          conversation: await takeBackFromAgent(trx, t.tenantId, conv, { passOver: false, raisePriority: step.raisePriority, action: 'queued', reason: 'no_first_response' }),
        };
      case 'escalate':
        if (escalateTo) {
          return {
            kind: 'taken',
            action: step.action,
            ...before,
            conversation: await takeBackFromAgent(trx, t.tenantId, conv, { passOver: false, toTeamId: escalateTo.id, action: 'escalated', reason: 'no_first_response' }),
          };
        }
        // A chain naming a team the tenant no longer has still alerts rather than doing nothing.
        return { kind: 'alerted', action: step.action, ...before, conversation: await advanceResponseStep(trx, t.tenantId, conv, `no_first_response: no team ${step.team}`) };
      case 'alert_leader':
        return { kind: 'alerted', action: step.action, ...before, conversation: await advanceResponseStep(trx, t.tenantId, conv, 'no_first_response') };
    }
    return { kind: 'stale', reason: 'chain_done' };
  });
}
