import { describe, expect, it } from '@jest/globals';
import { responseTimerFor } from '../src/response-timer.js';

const assignedAt = new Date('2026-11-30T09:00:00.000Z');
const conv = (over: Partial<Parameters<typeof responseTimerFor>[0]> = {}) => ({
  id: 'c1',
  tenant_id: 't1',
  status: 'assigned',
  kind: 'chat',
  assigned_at: assignedAt,
  response_step: 0,
  ...over,
});
const rule = { firstResponseSeconds: 180, responseChain: [{}, { afterSeconds: 60 }] };

describe('responseTimerFor: the first-response timer an assignment needs now', () => {
  it('waits firstResponseSeconds for the first step, a step\'s own afterSeconds for the next', () => {
    expect(responseTimerFor(conv(), rule)).toEqual({ timer: { tenantId: 't1', conversationId: 'c1', assignedAt: assignedAt.toISOString(), step: 0 }, delayMs: 180_000 });
    expect(responseTimerFor(conv({ response_step: 1 }), rule)?.delayMs).toBe(60_000);
  });

  it.each([
    ['a queued conversation', conv({ status: 'queued' })],
    ['one without an assignment time', conv({ assigned_at: null })],
    ['one whose chain is done', conv({ response_step: 2 })],
    ['a call or callback task (answered by voice, not in writing)', conv({ kind: 'voice' })],
  ])('sets none for %s', (_what, c) => {
    expect(responseTimerFor(c, rule)).toBeNull();
  });

  it('sets one for email as for chat', () => {
    expect(responseTimerFor(conv({ kind: 'email' }), rule)).not.toBeNull();
  });
});
