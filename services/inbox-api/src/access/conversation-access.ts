import type { ConversationScope } from '@sapa/db/queries/conversation-views';
import { hasRole, type Viewer } from '../auth/principal.js';

/** The parts of a conversation that decide who may see and act on it. */
export interface ConversationFacts {
  assigneeId: string | null;
  teamId: string | null;
  status: string;
}

/**
 * Who sees which conversations (api-contract.md §Conversations): admins and QC see the whole tenant;
 * everyone else sees the ones assigned to them, the waiting queue of each of their teams, and every
 * conversation of the teams they lead. `canViewConversation` is this same rule for one row.
 */
export function conversationScope(viewer: Viewer): ConversationScope {
  if (hasRole(viewer, 'admin', 'quality_control')) return { all: true };
  return { all: false, userId: viewer.userId, queueTeamIds: [...viewer.teamIds], wholeTeamIds: [...viewer.leaderOfTeamIds] };
}

export function canViewConversation(viewer: Viewer, c: ConversationFacts): boolean {
  if (hasRole(viewer, 'admin', 'quality_control')) return true;
  if (c.assigneeId === viewer.userId) return true;
  if (c.teamId === null) return false;
  if (viewer.leaderOfTeamIds.includes(c.teamId)) return true;
  return c.status === 'queued' && viewer.teamIds.includes(c.teamId);
}

function leads(viewer: Viewer, c: ConversationFacts): boolean {
  return c.teamId !== null && viewer.leaderOfTeamIds.includes(c.teamId);
}

/** Only the agent holding the conversation, or a leader of its team, speaks to the customer. */
export function canReply(viewer: Viewer, c: ConversationFacts): boolean {
  return c.assigneeId === viewer.userId || leads(viewer, c);
}

/** Transfer and close: the assignee, a leader of the conversation's team, or an admin. */
export function canManage(viewer: Viewer, c: ConversationFacts): boolean {
  return canReply(viewer, c) || hasRole(viewer, 'admin');
}
