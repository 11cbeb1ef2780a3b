import type { Db } from '@sapa/db/queries/db-handle';
import { latestVisitorConversation } from '@sapa/db/queries/livechat';
import type { Producer, Redis } from '@sapa/queue';

export interface LeaveDeps {
  db: Db;
  redis: Redis;
  prefix: string;
  producer: Producer;
}

export interface LeavingVisitor {
  tenantId: string;
  channelId: string;
  visitorId: string;
}

export type LeaveOutcome = 'reported' | 'no_open_conversation' | 'already_reported';

/** How long a reported leave is remembered when the visitor neither writes again nor is closed (a day). */
const LEFT_TTL_SECONDS = 24 * 3600;
const leftKey = (prefix: string, visitorId: string) => `${prefix}:livechat:left:${visitorId}`;

/**
 * The live chat's leave rule (customer-handling.md §Inactivity nudges): the visitor pressed "end" or their last socket
 * closed, so the ticket service asks "masih terhubung?" at once and closes after `liveChatLeaveCloseSeconds` unless
 * they write again. Reported once per leave: another tab closing, or "end" then closing the tab, does not ask twice;
 * the visitor's next message (clearLeave) makes a later leave count again. Queued on `handling`, not published, so
 * a restart does not lose it. A visitor with no open conversation (never wrote, or already closed) has nothing to leave.
 */
export async function reportLeave(deps: LeaveDeps, visitor: LeavingVisitor, at: Date): Promise<LeaveOutcome> {
  const conversation = await latestVisitorConversation(deps.db, visitor.tenantId, visitor.channelId, visitor.visitorId);
  if (!conversation || conversation.status === 'closed') return 'no_open_conversation';
  const key = leftKey(deps.prefix, visitor.visitorId);
  const claimed = await deps.redis.set(key, conversation.id, 'EX', LEFT_TTL_SECONDS, 'NX');
  if (claimed === null) {
    // Left before in an older conversation that has closed since: this is a new leave.
    if ((await deps.redis.get(key)) === conversation.id) return 'already_reported';
    await deps.redis.set(key, conversation.id, 'EX', LEFT_TTL_SECONDS);
  }
  try {
    await deps.producer.add('handling', { tenantId: visitor.tenantId, conversationId: conversation.id, type: 'contact_left', at: at.toISOString() });
  } catch (err) {
    await deps.redis.del(key).catch(() => undefined);
    throw err;
  }
  return 'reported';
}

/** The visitor wrote: whatever leave was reported is over, and the next one counts. */
export async function clearLeave(deps: Pick<LeaveDeps, 'redis' | 'prefix'>, visitorId: string): Promise<void> {
  await deps.redis.del(leftKey(deps.prefix, visitorId));
}
