import type { Producer } from '@sapa/queue';

/**
 * Live chat's leave rule (customer-handling.md §Inactivity nudges): the live-chat channel calls this when the widget
 * disconnects or the customer presses end. The ticket service then asks "masih terhubung?" at once and closes after
 * `liveChatLeaveCloseSeconds` unless the customer writes again. Queued, not published, so it survives a restart.
 */
export function contactLeft(producer: Producer, e: { tenantId: string; conversationId: string; at: Date | string }): Promise<string> {
  const at = typeof e.at === 'string' ? e.at : e.at.toISOString();
  return producer.add('handling', { tenantId: e.tenantId, conversationId: e.conversationId, type: 'contact_left', at });
}
