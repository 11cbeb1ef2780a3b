/** What the estimate of a waiting customer's wait knows: their place, who serves, how long a conversation takes. */
export interface QueueStanding {
  /** 1 for the head of the queue. */
  position: number;
  agentsOnline: number;
  /** Mean time from assignment to close of the team's recent conversations; null when there are none yet. */
  avgHandleSeconds: number | null;
}

/** When the team has no recent conversations to learn from: five minutes a conversation. */
export const DEFAULT_HANDLE_SECONDS = 300;

/**
 * The minutes a customer is told to expect (template `queuePosition`): the conversations ahead of and including
 * theirs, shared among the agents online, each taking the team's mean handling time; at least one minute, and with
 * nobody online counted as one agent (someone will come). Whole minutes, rounded up: better early than late.
 */
export function estimatedWaitMinutes(s: QueueStanding): number {
  const handle = s.avgHandleSeconds && s.avgHandleSeconds > 0 ? s.avgHandleSeconds : DEFAULT_HANDLE_SECONDS;
  const seconds = (Math.max(1, s.position) * handle) / Math.max(1, s.agentsOnline);
  return Math.max(1, Math.ceil(seconds / 60));
}
