import { afterAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { createDb } from '@sapa/db';
import { pickLeastBusy } from '@sapa/routing';
import { createApiChannel, createTenant, testEnv } from '@sapa/test-support';
import { drainTeam } from '../src/assign-conversation.js';

const db = createDb({ connectionString: testEnv().databaseUrl, max: 2 });
afterAll(() => db.destroy());

const agentState = fc.record({
  presence: fc.constantFrom('online' as const, 'away' as const, 'offline' as const),
  active: fc.nat(4),
  capacity: fc.nat(4),
  // Minutes ago of the last assignment; null: never assigned.
  lastAssigned: fc.option(fc.integer({ min: 1, max: 5 })),
});

/**
 * The router applies `pickLeastBusy` inside Postgres (`sapa_drain_team`) to save round trips; this checks,
 * over random teams, that the database picks exactly the agent the pure rule picks.
 */
describe('sapa_drain_team', () => {
  it('chooses the same agent as pickLeastBusy', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(agentState, { minLength: 1, maxLength: 5 }), async (states) => {
        const users = Object.fromEntries(states.map((_, i) => [`a${i}`, { roles: ['agent'], teams: ['cs'] }]));
        const tenant = await createTenant(db, users, ['cs']);
        const now = Date.now();
        const candidates = [];
        for (const [i, st] of states.entries()) {
          const id = tenant.users[`a${i}`]!.id;
          const lastAssignedAt = st.lastAssigned === null ? null : new Date(now - st.lastAssigned * 60_000);
          await db
            .updateTable('agents')
            .set({ presence: st.presence, active_chat: st.active, capacity_chat: st.capacity, last_assigned_at: lastAssignedAt })
            .where('user_id', '=', id)
            .execute();
          if (st.presence === 'online') candidates.push({ agentId: id, active: st.active, capacity: st.capacity, lastAssignedAt });
        }
        const { id: channelId } = await createApiChannel(db, tenant.id);
        const contact = await db.insertInto('contacts').values({ tenant_id: tenant.id, name: 'x' }).returning('id').executeTakeFirstOrThrow();
        await db
          .insertInto('conversations')
          .values({ tenant_id: tenant.id, channel_id: channelId, contact_id: contact.id, team_id: tenant.teamId, kind: 'chat' })
          .execute();

        const [assigned] = await drainTeam(db, tenant.id, tenant.teamId);
        expect(assigned?.assignee_id).toBe(pickLeastBusy(candidates)?.agentId);
      }),
      { numRuns: 40, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31) },
    );
  });

  it('passes over a kind nobody has room for instead of blocking the queue behind it', async () => {
    const tenant = await createTenant(db, { a: { roles: ['agent'], teams: ['cs'], presence: 'online', capacity: { chat: 1, email: 0 } } }, ['cs']);
    const { id: channelId } = await createApiChannel(db, tenant.id);
    const ids = [];
    for (const kind of ['email', 'chat'] as const) {
      const contact = await db.insertInto('contacts').values({ tenant_id: tenant.id, name: randomUUID() }).returning('id').executeTakeFirstOrThrow();
      const c = await db
        .insertInto('conversations')
        .values({ tenant_id: tenant.id, channel_id: channelId, contact_id: contact.id, team_id: tenant.teamId, kind })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(c.id);
    }
    const assigned = await drainTeam(db, tenant.id, tenant.teamId);
    expect(assigned.map((c) => c.id)).toEqual([ids[1]]);
  });
});
