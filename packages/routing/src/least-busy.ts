/** An agent the router may consider for one conversation: online, in the right team. */
export interface Candidate {
  agentId: string;
  /** Conversations of this capacity bucket the agent holds now. */
  active: number;
  /** Conversations of this bucket the agent may hold at once. */
  capacity: number;
  /** When the agent was last given a conversation; null if never. Drives round-robin among equals. */
  lastAssignedAt: Date | null;
}

/**
 * The foundation's strategy (issue 3 §Router): the agent with the fewest active conversations among those
 * with free capacity; ties go round-robin, i.e. to whoever waited longest since their last assignment
 * (never-assigned first), and finally by id so the choice is deterministic.
 */
export function pickLeastBusy(candidates: readonly Candidate[]): Candidate | undefined {
  let best: Candidate | undefined;
  for (const c of candidates) {
    if (c.active >= c.capacity) continue;
    if (!best || compare(c, best) < 0) best = c;
  }
  return best;
}

function compare(a: Candidate, b: Candidate): number {
  if (a.active !== b.active) return a.active - b.active;
  const at = a.lastAssignedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  const bt = b.lastAssignedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  if (at !== bt) return at < bt ? -1 : 1;
  return a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0;
}
