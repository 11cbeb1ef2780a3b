import type { ChannelType } from '@sapa/contracts';

/**
 * WhatsApp's customer-service window (developers.facebook.com/docs/whatsapp/pricing#customer-service-windows): a
 * business may send free-form messages for 24 hours after the customer's last message; after that only an approved
 * template reaches them (Meta refuses anything else with error 131047), until the customer writes again.
 */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface ServiceWindow {
  /** Whether a free-form message may be sent now. */
  open: boolean;
  /** The customer's last message on this number; null when they never wrote. */
  lastCustomerMessageAt: Date | null;
  /** When the window closes (or closed); null when it never opened. */
  closesAt: Date | null;
}

/**
 * The window at `now`. Open strictly before `lastCustomerMessageAt + 24 h`: at the very edge Meta counts "more than
 * 24 hours", but a send still queued would arrive after it, so the edge itself counts as closed.
 */
export function serviceWindow(lastCustomerMessageAt: Date | null, now: Date): ServiceWindow {
  if (lastCustomerMessageAt === null) return { open: false, lastCustomerMessageAt: null, closesAt: null };
  const closesAt = new Date(lastCustomerMessageAt.getTime() + SERVICE_WINDOW_MS);
  return { open: now.getTime() < closesAt.getTime(), lastCustomerMessageAt, closesAt };
}

/** Channels whose provider enforces the window: the Cloud API does; a Baileys number (WhatsApp Web) does not. */
export function hasServiceWindow(channelType: ChannelType | string): boolean {
  return channelType === 'whatsapp_cloud';
}

/** Channels that send approved templates (Meta's Cloud API). */
export function sendsTemplates(channelType: ChannelType | string): boolean {
  return channelType === 'whatsapp_cloud';
}

/** A template by name and language, as the tenant configures it for Sapa's own texts. */
export interface TemplateChoice {
  name: string;
  language: string;
}

/**
 * What Sapa does with one of its own texts (a nudge, the closing text) on a conversation: send it as text, send the
 * tenant's template instead (the window is closed), or skip it and say so (closed, and no template configured).
 */
export type SystemTextPlan =
  | { send: 'text' }
  | { send: 'template'; template: TemplateChoice }
  | { send: 'skip'; reason: 'outside_service_window' };

export function systemTextPlan(channelType: ChannelType | string, window: ServiceWindow, template: TemplateChoice | undefined): SystemTextPlan {
  if (!hasServiceWindow(channelType) || window.open) return { send: 'text' };
  return template ? { send: 'template', template } : { send: 'skip', reason: 'outside_service_window' };
}
