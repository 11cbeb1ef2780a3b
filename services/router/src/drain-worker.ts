import type { Kysely } from 'kysely';
import type { DrainRequest } from '@sapa/contracts';
import type { Conversation, DB } from '@sapa/db';
import { contactsAndChannelTypes, teamsWithQueue } from '@sapa/db/queries/conversations';
import type { EventBus } from '@sapa/queue';
import { drainTeam } from './assign-conversation.js';
import { publishAssigned } from './publish-events.js';

/** Marks the periodic sweep job: it drains every team with a queue, across tenants. */
export const SWEEP_TENANT = '*';

export interface DrainDeps {
  db: Kysely<DB>;
  bus: EventBus;
}

/**
 * The `routing` processor: hands queued conversations to agents who gained room (went online, closed or
 * transferred a conversation). The periodic sweep catches anything a lost drain job would have missed.
 */
export function drainProcessor(deps: DrainDeps) {
  return async (req: DrainRequest): Promise<number> => {
    const work =
      req.tenantId === SWEEP_TENANT
        ? (await teamsWithQueue(deps.db)).filter((t): t is { tenant_id: string; team_id: string } => t.team_id !== null)
        : req.teamIds.map((team_id) => ({ tenant_id: req.tenantId, team_id }));
    let count = 0;
    for (const { tenant_id, team_id } of work) {
      const assigned = await drainTeam(deps.db, tenant_id, team_id);
      count += assigned.length;
      await publishAll(deps, assigned);
    }
    return count;
  };
}

async function publishAll(deps: DrainDeps, conversations: Conversation[]): Promise<void> {
  if (conversations.length === 0) return;
  // drainTeam works within one team, so one tenant.
  const rows = await contactsAndChannelTypes(deps.db, conversations[0]!.tenant_id, conversations.map((c) => c.id));
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const conv of conversations) {
    const r = byId.get(conv.id);
    if (r) await publishAssigned(deps.bus, conv, { id: r.contact_id, name: r.contact_name }, r.channel_type);
  }
}
