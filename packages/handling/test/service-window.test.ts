import { describe, expect, it } from '@jest/globals';
import { SERVICE_WINDOW_MS, serviceWindow, systemTextPlan } from '../src/index.js';

const at = (iso: string) => new Date(iso);
const HOUR = 60 * 60 * 1000;

describe('serviceWindow: WhatsApp lets a business write freely for 24 hours after the customer last wrote', () => {
  const last = at('2026-05-01T08:00:00.000Z');

  it.each([
    ['a minute after the customer wrote', 60_000, true],
    ['23 hours 59 minutes after', 24 * HOUR - 60_000, true],
    ['a millisecond before the edge', SERVICE_WINDOW_MS - 1, true],
    ['exactly 24 hours after (Meta counts "more than", but a queued send would land after it)', SERVICE_WINDOW_MS, false],
    ['25 hours after', 25 * HOUR, false],
    ['a week after', 7 * 24 * HOUR, false],
  ])('%s: open is %s', (_when, elapsed, open) => {
    const w = serviceWindow(last, new Date(last.getTime() + elapsed));
    expect(w).toEqual({ open, lastCustomerMessageAt: last, closesAt: at('2026-05-02T08:00:00.000Z') });
  });

  it('is closed when the customer never wrote (a business-initiated conversation needs a template)', () => {
    expect(serviceWindow(null, last)).toEqual({ open: false, lastCustomerMessageAt: null, closesAt: null });
  });

  it('counts a customer message stamped a little in the future (clock skew) as just written', () => {
    expect(serviceWindow(new Date(last.getTime() + 5_000), last).open).toBe(true);
  });
});

describe("systemTextPlan: Sapa's nudge or closing text on a conversation", () => {
  const open = serviceWindow(at('2026-05-01T08:00:00Z'), at('2026-05-01T09:00:00Z'));
  const closed = serviceWindow(at('2026-05-01T08:00:00Z'), at('2026-05-03T09:00:00Z'));
  const template = { name: 'still_there', language: 'id' };

  it.each([
    ['inside the window on whatsapp_cloud: the text', 'whatsapp_cloud', open, template, { send: 'text' }],
    ['outside the window with a template: the template', 'whatsapp_cloud', closed, template, { send: 'template', template }],
    ['outside the window without a template: skipped, with the reason', 'whatsapp_cloud', closed, undefined, { send: 'skip', reason: 'outside_service_window' }],
    ['on a Baileys number (no window there): the text', 'whatsapp_baileys', closed, undefined, { send: 'text' }],
    ['on Telegram: the text', 'telegram', closed, template, { send: 'text' }],
  ])('%s', (_what, channelType, window, choice, plan) => {
    expect(systemTextPlan(channelType, window, choice)).toEqual(plan);
  });
});
