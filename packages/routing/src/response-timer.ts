import type { ResponseTimer } from '@sapa/contracts';

/** The parts of a conversation its first-response timer depends on. */
export interface AssignedConversation {
  id: string;
  tenant_id: string;
  status: string;
  /** `chat`, `email` or `voice`: a call (or a callback task) is answered by voice, never by a written reply. */
  kind: string;
  assigned_at: Date | null;
  response_step: number;
}

/** The tenant's first-response rule (routing settings of @sapa/handling): the default wait and the chain's steps. */
export interface ResponseRule {
  firstResponseSeconds: number;
  responseChain: ReadonlyArray<{ afterSeconds?: number }>;
}

/**
 * The first-response timer an assigned conversation needs now: for the chain step it has reached, after that step's
 * `afterSeconds` (default `firstResponseSeconds`). None once the chain is done. `from` is when the wait began: the
 * assignment (by a drain, or a transfer to an agent), or the previous step that left the conversation with its
 * agent (an alert). None for a voice conversation: the rule counts written replies, and an agent on a call, or calling
 * a customer back, writes none.
 */
export function responseTimerFor(conv: AssignedConversation, settings: ResponseRule): { timer: ResponseTimer; delayMs: number } | null {
  if (conv.status !== 'assigned' || !conv.assigned_at || conv.kind === 'voice') return null;
  const step = settings.responseChain[conv.response_step];
  if (!step) return null;
  return {
    timer: { tenantId: conv.tenant_id, conversationId: conv.id, assignedAt: conv.assigned_at.toISOString(), step: conv.response_step },
    delayMs: (step.afterSeconds ?? settings.firstResponseSeconds) * 1000,
  };
}
