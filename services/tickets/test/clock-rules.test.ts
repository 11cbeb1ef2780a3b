import { describe, expect, it } from '@jest/globals';
import { cancelledSeq, decideClock, isTimerCurrent, nextClockBase, SEQ_BLOCK } from '../src/index.js';

const t = (s: number) => new Date(Date.UTC(2026, 0, 5, 3, 0, s));

/** clock-event.ts: what one handling event does to the stored clock (customer-handling.md §Inactivity nudges). */
describe('decideClock', () => {
  it.each([
    ['an agent word with nothing stored starts the clock', { a: null, c: null }, 'agent_message', 10, 'assigned', 'reset:agent_message'],
    ['an agent word after the customer’s starts the clock', { a: 5, c: 8 }, 'agent_message', 10, 'assigned', 'reset:agent_message'],
    ['an agent word older than the stored one is ignored', { a: 12, c: null }, 'agent_message', 10, 'assigned', 'ignore:not_newer'],
    ['the same agent word again (redelivery) is ignored', { a: 10, c: null }, 'agent_message', 10, 'assigned', 'ignore:not_newer'],
    ['an agent word the customer already answered only records', { a: 5, c: 12 }, 'agent_message', 10, 'assigned', 'record'],
    ['a customer word cancels', { a: 5, c: null }, 'customer_message', 10, 'assigned', 'reset:cancel'],
    ['a customer word older than a later agent word only records', { a: 12, c: null }, 'customer_message', 10, 'assigned', 'record'],
    ['a customer word older than the stored one is ignored', { a: null, c: 12 }, 'customer_message', 10, 'assigned', 'ignore:not_newer'],
    ['a live-chat leave sets the leave clock', { a: 5, c: 8 }, 'contact_left', 10, 'assigned', 'reset:contact_left'],
    ['a leave older than the last word is ignored', { a: 12, c: 8 }, 'contact_left', 10, 'assigned', 'ignore:conversation_moved_on'],
    ['putting on hold cancels', { a: 5, c: null }, 'status_changed', 10, 'on_hold', 'reset:cancel'],
    ['closing cancels', { a: 5, c: null }, 'status_changed', 10, 'closed', 'reset:cancel'],
    ['back from hold with the agent’s word last restarts from the change', { a: 5, c: 3 }, 'status_changed', 10, 'assigned', 'reset:agent_message'],
    ['back from hold with the customer’s word last changes nothing', { a: 5, c: 7 }, 'status_changed', 10, 'assigned', 'ignore:no_clock_change'],
    ['queued again changes nothing (the timers find it not waiting)', { a: 5, c: null }, 'status_changed', 10, 'queued', 'ignore:no_clock_change'],
  ] as const)('%s', (_name, stored, type, at, status, expected) => {
    const d = decideClock(
      { lastAgentMessageAt: stored.a === null ? null : t(stored.a), lastContactMessageAt: stored.c === null ? null : t(stored.c) },
      { type, at: t(at) },
      status,
    );
    const summary = d.kind === 'ignore' ? `ignore:${d.reason}` : d.kind === 'record' ? 'record' : `reset:${d.event ? d.event.type : 'cancel'}`;
    expect(summary).toBe(expected);
  });

  it('moves the side’s last word and keeps the other', () => {
    const d = decideClock({ lastAgentMessageAt: t(1), lastContactMessageAt: t(2) }, { type: 'agent_message', at: t(9) }, 'assigned');
    expect(d).toEqual({ kind: 'reset', sides: { lastAgentMessageAt: t(9), lastContactMessageAt: t(2) }, event: { type: 'agent_message', at: t(9) } });
  });
});

/** clock-seq.ts: numbering that makes every older timer stale and every timer act once. */
describe('clock sequence numbers', () => {
  it.each([0, 1, 3, 4, 5, 7, 8, 41])('a new clock from nudge_seq %i starts above every seq issued so far', (seq) => {
    const base = nextClockBase(seq);
    expect(base % SEQ_BLOCK).toBe(0);
    // Issued so far: at most the end of nudge_seq's block.
    expect(base).toBeGreaterThan(Math.floor(seq / SEQ_BLOCK) * SEQ_BLOCK + SEQ_BLOCK - 1);
    expect(cancelledSeq(seq)).toBeGreaterThan(base + SEQ_BLOCK - 1);
  });

  it('walks one clock: each timer acts once, in order or overdue out of order', () => {
    const base = nextClockBase(0);
    let seq = base + 1;
    for (const timer of [base + 1, base + 2, base + 3]) {
      expect(isTimerCurrent(timer, seq)).toBe(true);
      seq = timer + 1;
      expect(isTimerCurrent(timer, seq)).toBe(false);
    }
    // Overdue after a downtime, the close runs first: the nudges before it are then stale.
    seq = base + 1;
    expect(isTimerCurrent(base + 3, seq)).toBe(true);
    seq = base + 4;
    expect([base + 1, base + 2].map((s) => isTimerCurrent(s, seq))).toEqual([false, false]);
    // A new clock makes the old one's timers stale.
    expect(isTimerCurrent(base + 3, nextClockBase(base + 2) + 1)).toBe(false);
  });
});
