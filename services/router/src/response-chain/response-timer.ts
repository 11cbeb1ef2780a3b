import type { ResponseTimer } from '@sapa/contracts';
import type { Conversation } from '@sapa/db';
import type { RoutingSettings } from '@sapa/handling';

/**
 * The first-response timer an assigned conversation needs now: for the chain step it has reached, after that step's
 * `afterSeconds` (default `firstResponseSeconds`). None once the chain is done. `from` is when the wait began: the
 * assignment, or the previous step that left the conversation with its agent (an alert).
 */
export function responseTimerFor(
  conv: Pick<Conversation, 'id' | 'tenant_id' | 'assigned_at' | 'response_step' | 'status'>,
  settings: Pick<RoutingSettings, 'firstResponseSeconds' | 'responseChain'>,
): { timer: ResponseTimer; delayMs: number } | null {
  if (conv.status !== 'assigned' || !conv.assigned_at) return null;
  const step = settings.responseChain[conv.response_step];
  if (!step) return null;
  return {
    timer: { tenantId: conv.tenant_id, conversationId: conv.id, assignedAt: conv.assigned_at.toISOString(), step: conv.response_step },
    delayMs: (step.afterSeconds ?? settings.firstResponseSeconds) * 1000,
  };
}
