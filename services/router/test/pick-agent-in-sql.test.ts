import { afterAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createDb } from '@sapa/db';
import { patchTenantSettings } from '@sapa/db/queries/tenant-settings';
import { pickAgent, type AgentCandidate, type ConversationNeed, type Strategy } from '@sapa/routing';
import { createApiChannel, createTenant, testEnv } from '@sapa/test-support';
import { drainTeam } from '../src/assign-conversation.js';

const db = createDb({ connectionString: testEnv().databaseUrl, max: 2 });
afterAll(() => db.destroy());

const SKILLS = ['billing', 'fraud'] as const;
const skillMap = fc.dictionary(fc.constantFrom(...SKILLS), fc.integer({ min: 1, max: 5 }), { maxKeys: 2 });

const agentState = fc.record({
  presence: fc.constantFrom('online' as const, 'online' as const, 'away' as const),
  active: fc.nat(3),
  capacity: fc.nat(3),
  activeVoice: fc.nat(1),
  lastAssigned: fc.option(fc.integer({ min: 1, max: 5 })),
  skills: skillMap,
  languages: fc.subarray(['id', 'en']),
});

const scenario = fc.record({
  agents: fc.array(agentState, { minLength: 1, maxLength: 5 }),
  strategy: fc.constantFrom<Strategy>('least_busy', 'round_robin', 'skills_weighted'),
  needSkills: skillMap,
  language: fc.option(fc.constantFrom('id', 'en')),
  voiceBlocksChat: fc.boolean(),
  // Index of the agent who served the contact an hour ago (sticky), if any.
  sticky: fc.option(fc.nat(4)),
  // Indexes of agents the conversation was taken back from.
  passedOver: fc.subarray([0, 1, 2, 3, 4]),
});

/**
 * The router applies `pickAgent` inside Postgres (`sapa_drain_team`, migration 0008) to save round trips; this
 * checks over random teams, needs, strategies and settings that the database picks exactly the agent the pure rule
 * picks — or, like it, nobody.
 */
describe('sapa_drain_team v2', () => {
  it('chooses the same agent as pickAgent', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const users = Object.fromEntries(s.agents.map((_, i) => [`a${i}`, { roles: ['agent'], teams: ['cs'] }]));
        const tenant = await createTenant(db, users, ['cs']);
        await db.updateTable('teams').set({ strategy: s.strategy }).where('id', '=', tenant.teamId).execute();
        await patchTenantSettings(db, tenant.id, { routing: { voiceBlocksChat: s.voiceBlocksChat } });
        const id = (i: number) => tenant.users[`a${i}`]?.id;
        const now = Date.now();
        const candidates: AgentCandidate[] = [];
        for (const [i, st] of s.agents.entries()) {
          const lastAssignedAt = st.lastAssigned === null ? null : new Date(now - st.lastAssigned * 60_000);
          await db
            .updateTable('agents')
            .set({
              presence: st.presence,
              active_chat: st.active,
              capacity_chat: st.capacity,
              active_voice: st.activeVoice,
              last_assigned_at: lastAssignedAt,
              skills: JSON.stringify(st.skills),
              languages: st.languages,
            })
            .where('user_id', '=', id(i)!)
            .execute();
          if (st.presence === 'online') {
            candidates.push({ agentId: id(i)!, active: st.active, capacity: st.capacity, activeVoice: st.activeVoice, lastAssignedAt, skills: st.skills, languages: st.languages });
          }
        }
        const { id: channelId } = await createApiChannel(db, tenant.id);
        const contact = await db.insertInto('contacts').values({ tenant_id: tenant.id, name: 'x' }).returning('id').executeTakeFirstOrThrow();
        const stickyId = s.sticky === null ? null : (id(s.sticky) ?? null);
        if (stickyId) {
          const hourAgo = new Date(now - 3_600_000);
          await db
            .insertInto('conversations')
            .values({ tenant_id: tenant.id, channel_id: channelId, contact_id: contact.id, team_id: tenant.teamId, kind: 'chat', status: 'closed', assignee_id: stickyId, closed_at: hourAgo })
            .execute();
        }
        const passedOver = s.passedOver.map(id).filter((x): x is string => x !== undefined);
        await db
          .insertInto('conversations')
          .values({
            tenant_id: tenant.id,
            channel_id: channelId,
            contact_id: contact.id,
            team_id: tenant.teamId,
            kind: 'chat',
            required_skills: JSON.stringify(s.needSkills),
            language: s.language,
            passed_over: passedOver,
          })
          .execute();

        const need: ConversationNeed = { kind: 'chat', skills: s.needSkills, language: s.language, voiceBlocksChat: s.voiceBlocksChat, stickyAgentId: stickyId, passedOver };
        const [assigned] = await drainTeam(db, tenant.id, tenant.teamId);
        expect(assigned?.assignee_id).toBe(pickAgent(candidates, need, s.strategy)?.agentId);
      }),
      { numRuns: 60, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31) },
    );
  });
});
