/**
 * How the timers of the inactivity clock are numbered (conversations.nudge_seq; customer-handling.md §Inactivity
 * nudges). Each clock (one agent word, or one live-chat leave) takes its own block of SEQ_BLOCK numbers above the
 * block nudge_seq is in; its timers are base+1, base+2, base+3. `nudge_seq` is the lowest seq still allowed to act:
 * - setting a clock makes it base+1, so every timer of an older clock (all below base) is stale;
 * - a timer that acts sets it to seq+1, so neither it (a retry, a duplicate, a second instance) nor an earlier timer
 *   of the same clock acts again;
 * - cancelling makes it base+SEQ_BLOCK, above every seq a clock set from the same state could have used.
 * A timer acts iff `seq >= nudge_seq`. That is "current" rather than "equal": when the service was down past several
 * due times, the overdue timers run in any order, and the latest one then wins instead of all being skipped.
 */
export const SEQ_BLOCK = 4;

/** The `lastSeq` to give nudgeSchedule for a new clock: the start of the block above the one nudge_seq is in. */
export function nextClockBase(nudgeSeq: number): number {
  return (Math.floor(nudgeSeq / SEQ_BLOCK) + 1) * SEQ_BLOCK;
}

/** nudge_seq after cancelling the clock: above every seq issued from this state. */
export function cancelledSeq(nudgeSeq: number): number {
  return nextClockBase(nudgeSeq) + SEQ_BLOCK;
}

/** Whether a timer still belongs to the clock in force and has not acted. */
export function isTimerCurrent(timerSeq: number, nudgeSeq: number): boolean {
  return timerSeq >= nudgeSeq;
}
