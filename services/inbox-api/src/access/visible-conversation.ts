import type { Kysely } from 'kysely';
import type { DB } from '@sapa/db';
import { findConversationView, type ConversationView } from '@sapa/db/queries/conversation-views';
import type { Viewer } from '../auth/principal.js';
import { ConversationNotFound } from '../errors.js';
import { canViewConversation } from './conversation-access.js';

/**
 * The conversation if this viewer may see it; otherwise 404 `conversation_not_found`, the same answer as
 * for an id of another tenant or no id at all, so existence is never revealed.
 */
export async function visibleConversation(db: Kysely<DB>, viewer: Viewer, conversationId: string): Promise<ConversationView> {
  const view = await findConversationView(db, viewer.tenantId, conversationId);
  if (!view || !canViewConversation(viewer, { assigneeId: view.assignee_id, teamId: view.team_id, status: view.status })) {
    throw ConversationNotFound();
  }
  return view;
}

export function factsOf(view: ConversationView) {
  return { assigneeId: view.assignee_id, teamId: view.team_id, status: view.status };
}
