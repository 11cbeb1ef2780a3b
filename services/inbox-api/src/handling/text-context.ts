import type { Kysely } from 'kysely';
import type { DB } from '@sapa/db';
import { listHolidays } from '@sapa/db/queries/holidays';
import { getTenantSettings } from '@sapa/db/queries/tenant-settings';
import { findUser } from '@sapa/db/queries/users';
import type { Principal } from '../auth/principal.js';
import type { TextContext } from './handling-texts.js';

/**
 * What the tenant's templates need for one conversation at `at`: its settings, its holiday calendar, and the
 * agent's name — the assignee's, or the caller's when nobody holds the conversation (a leader closing a queued one).
 */
export async function loadTextContext(
  db: Kysely<DB>,
  caller: Principal,
  conversation: { assignee_id: string | null },
  at: Date,
): Promise<TextContext> {
  const { tenantId } = caller;
  const [settings, holidays, assignee] = await Promise.all([
    getTenantSettings(db, tenantId),
    listHolidays(db, tenantId),
    conversation.assignee_id && conversation.assignee_id !== caller.userId ? findUser(db, tenantId, conversation.assignee_id) : undefined,
  ]);
  return { settings, holidays, at, agentName: assignee?.name ?? caller.name };
}
