import type { ConversationStatus, HandlingEvent } from '@sapa/contracts';
import type { ClockEvent } from '@sapa/handling';

/** The last word of each side, as stored on the conversation. */
export interface ClockSides {
  lastAgentMessageAt: Date | null;
  lastContactMessageAt: Date | null;
}

/**
 * What one handling event does to the clock:
 * - `ignore`: it is older than (or the same as) what the row already reflects — a redelivery, or out-of-order
 *   delivery from two instances — and changes nothing, so it cannot restart a clock that a later word stopped;
 * - `record`: only the side's last word moves; the clock stays as it is (the other side spoke later);
 * - `reset`: the timers are replaced by nudgeSchedule of `event`, or cancelled when `event` is null.
 */
export type ClockDecision =
  | { kind: 'ignore'; reason: 'not_newer' | 'conversation_moved_on' | 'no_clock_change' }
  | { kind: 'record'; sides: ClockSides }
  | { kind: 'reset'; sides: ClockSides; event: ClockEvent | null };

const later = (a: Date | null, b: Date | null): Date | null => (a && b ? (a > b ? a : b) : (a ?? b));

/** The rule of customer-handling.md §Inactivity nudges applied to one event, given the stored sides and status. */
export function decideClock(sides: ClockSides, e: { type: HandlingEvent['type']; at: Date }, status: ConversationStatus): ClockDecision {
  const { lastAgentMessageAt: agent, lastContactMessageAt: contact } = sides;
  const at = e.at;
  switch (e.type) {
    case 'agent_message': {
      if (agent && at <= agent) return { kind: 'ignore', reason: 'not_newer' };
      const next = { lastAgentMessageAt: at, lastContactMessageAt: contact };
      // The customer already answered after this word: their silence has not started.
      if (contact && contact > at) return { kind: 'record', sides: next };
      return { kind: 'reset', sides: next, event: { type: 'agent_message', at } };
    }
    case 'customer_message': {
      if (contact && at <= contact) return { kind: 'ignore', reason: 'not_newer' };
      const next = { lastAgentMessageAt: agent, lastContactMessageAt: at };
      // An agent wrote after this message: the clock of that later word keeps running.
      if (agent && agent > at) return { kind: 'record', sides: next };
      return { kind: 'reset', sides: next, event: null };
    }
    case 'contact_left': {
      const latest = later(agent, contact);
      if (latest && latest > at) return { kind: 'ignore', reason: 'conversation_moved_on' };
      return { kind: 'reset', sides, event: { type: 'contact_left', at } };
    }
    case 'status_changed': {
      if (status === 'on_hold' || status === 'closed') return { kind: 'reset', sides, event: null };
      // Back to an agent (hold ended, transferred) with the agent's word last: the silence is counted from now.
      if (status === 'assigned' && agent && (!contact || agent > contact) && agent < at) {
        return { kind: 'reset', sides, event: { type: 'agent_message', at } };
      }
      return { kind: 'ignore', reason: 'no_clock_change' };
    }
  }
}
