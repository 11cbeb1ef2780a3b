import { channelKindOf, type ChannelType, type ConversationStatus } from '@sapa/contracts';
import type { InactivitySettings } from './settings.js';

/**
 * What just happened in a conversation, as far as the customer's-silence clock cares.
 * `agent_message` is an agent's or the bot's message; Sapa's own nudges and closing text are not events (they
 * must not restart the clock they belong to). `contact_left` comes from the live-chat widget only.
 */
export type ClockEvent =
  | { type: 'agent_message'; at: Date }
  | { type: 'customer_message'; at: Date }
  | { type: 'contact_left'; at: Date };

export type NudgeTimerKind = 'nudge1' | 'nudge2' | 'close' | 'leave_nudge' | 'leave_close';

/** A timer to set. `seq` is unique per conversation and grows, so `nudgeJobId` gives each timer a stable job id. */
export interface NudgeTimer {
  kind: NudgeTimerKind;
  dueAt: Date;
  seq: number;
}

export interface NudgeScheduleInput {
  settings: InactivitySettings;
  channelType: ChannelType;
  status: ConversationStatus;
  event: ClockEvent;
  /** The highest `seq` this conversation has used so far (0 when none); new timers continue after it. */
  lastSeq: number;
}

/** Statuses in which the agent side waits for the customer: only an assigned conversation has the clock. */
const CLOCK_STATUSES: ReadonlySet<ConversationStatus> = new Set(['assigned']);
/** A live-chat customer may also leave while still queued; the leave rule then closes the abandoned chat. */
const LEAVE_STATUSES: ReadonlySet<ConversationStatus> = new Set(['assigned', 'queued']);

/** Nudges run on chat channels (WhatsApp, social, live chat, the generic API channel), never on email or voice. */
export function hasNudges(channelType: ChannelType): boolean {
  return channelKindOf(channelType) === 'chat';
}

const after = (at: Date, seconds: number): Date => new Date(at.getTime() + seconds * 1000);

/**
 * The timers a conversation needs after `event` (customer-handling.md §Inactivity nudges). The caller replaces every
 * timer it had set for the conversation with this list; `[]` means cancel them all.
 * - agent word at t → nudge1 at t+first, nudge2 at t+first+second, close at t+first+second+close;
 * - a customer message → [] (their silence is over);
 * - live chat `contact_left` at t → ask at once (leave_nudge at t), close at t+liveChatLeaveCloseSeconds;
 * - on hold, closed, or a channel without nudges (email, voice) → [].
 */
export function nudgeSchedule(input: NudgeScheduleInput): NudgeTimer[] {
  const { settings, channelType, status, event, lastSeq } = input;
  if (!hasNudges(channelType)) return [];
  const t = event.at;
  let plan: Array<{ kind: NudgeTimerKind; dueAt: Date }> = [];
  if (event.type === 'agent_message' && CLOCK_STATUSES.has(status)) {
    const first = after(t, settings.firstNudgeSeconds);
    const second = after(first, settings.secondNudgeSeconds);
    plan = [
      { kind: 'nudge1', dueAt: first },
      { kind: 'nudge2', dueAt: second },
      { kind: 'close', dueAt: after(second, settings.closeSeconds) },
    ];
  } else if (event.type === 'contact_left' && channelType === 'livechat' && LEAVE_STATUSES.has(status)) {
    plan = [
      { kind: 'leave_nudge', dueAt: t },
      { kind: 'leave_close', dueAt: after(t, settings.liveChatLeaveCloseSeconds) },
    ];
  }
  return plan.map((timer, i) => ({ ...timer, seq: lastSeq + i + 1 }));
}

/** The BullMQ job id of a timer: derived from what it is about, so replicas and retries cannot double it (STYLE.md). */
export function nudgeJobId(conversationId: string, seq: number): string {
  return `nudge.${conversationId}.${seq}`;
}
