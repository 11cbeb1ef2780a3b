import type { HandlingTimer } from '@sapa/contracts';
import type { ClockedConversation } from '@sapa/db/queries/handling-clock';
import type { Db } from '@sapa/db/queries/db-handle';
import { lastCustomerMessageAt, recordSkippedSystemText } from '@sapa/db/queries/service-window';
import { hasServiceWindow, serviceWindow, systemTextPlan, type HandlingSettings, type ServiceWindow, type SystemTextPlan } from '@sapa/handling';
import { isClosing } from './system-texts.js';

export interface TimerTextPlan {
  plan: SystemTextPlan;
  /** The customer-service window it was decided on; absent on channels without one. */
  window?: ServiceWindow;
}

/**
 * How a timer's text may reach the customer (issue 7 §WhatsApp Cloud): on whatsapp_cloud, once the customer has been
 * silent for 24 hours WhatsApp refuses free text, so the tenant's nudge or closing template goes instead, or nothing.
 */
export async function planTimerText(db: Db, t: HandlingTimer, clocked: ClockedConversation, settings: HandlingSettings, at: Date): Promise<TimerTextPlan> {
  if (!hasServiceWindow(clocked.channelType)) return { plan: { send: 'text' } };
  const conv = clocked.conversation;
  const window = serviceWindow(await lastCustomerMessageAt(db, t.tenantId, { contactId: conv.contact_id, channelId: conv.channel_id }), at);
  const choice = isClosing(t.kind) ? settings.whatsapp.closingTemplate : settings.whatsapp.nudgeTemplate;
  return { plan: systemTextPlan(clocked.channelType, window, choice), window };
}

/** A skipped nudge or closing text of a timer, recorded (recordSkippedSystemText). */
export async function recordSkippedText(db: Db, t: HandlingTimer, window: ServiceWindow | undefined): Promise<void> {
  await recordSkippedSystemText(db, t.tenantId, t.conversationId, { what: isClosing(t.kind) ? 'closing' : 'nudge', timer: t.kind, actorId: null, window });
}
