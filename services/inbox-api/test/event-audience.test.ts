import { describe, expect, it } from '@jest/globals';
import type { DomainEvent } from '@sapa/contracts';
import type { Viewer } from '../src/auth/principal.js';
import { canSee } from '../src/live/event-audience.js';

const T = 'tenant-a';
const CS = 'team-cs';
const T2 = 'team-tier2';

const viewers: Record<string, Viewer> = {
  admin: { userId: 'u-admin', tenantId: T, roles: ['admin'], teamIds: [], leaderOfTeamIds: [] },
  qc: { userId: 'u-qc', tenantId: T, roles: ['quality_control'], teamIds: [], leaderOfTeamIds: [] },
  leadCs: { userId: 'u-lead', tenantId: T, roles: ['team_leader'], teamIds: [CS], leaderOfTeamIds: [CS] },
  agentCs: { userId: 'u-agent1', tenantId: T, roles: ['agent'], teamIds: [CS], leaderOfTeamIds: [] },
  agentTier2: { userId: 'u-tier2', tenantId: T, roles: ['tier2'], teamIds: [T2], leaderOfTeamIds: [] },
  noTeam: { userId: 'u-loner', tenantId: T, roles: ['agent'], teamIds: [], leaderOfTeamIds: [] },
  otherAdmin: { userId: 'u-admin-b', tenantId: 'tenant-b', roles: ['admin'], teamIds: [CS], leaderOfTeamIds: [CS] },
};

function event(audience: DomainEvent['audience'], tenantId = T): Pick<DomainEvent, 'tenantId' | 'audience'> {
  return { tenantId, audience };
}

// [viewer, audience, sees?, why]
const cases: Array<[keyof typeof viewers, DomainEvent['audience'], boolean, string]> = [
  ['agentCs', { teamId: CS }, true, 'a member sees the events of their team'],
  ['leadCs', { teamId: CS }, true, 'a leader sees the events of the team they lead'],
  ['agentTier2', { teamId: CS }, false, 'a member of another team does not'],
  ['noTeam', { teamId: CS }, false, 'a user in no team does not'],
  ['admin', { teamId: CS }, true, 'an admin sees every team of the tenant'],
  ['qc', { teamId: CS }, true, 'QC sees every team of the tenant'],
  ['otherAdmin', { teamId: CS }, false, 'an admin of another tenant never does, even with the same team id'],
  ['agentCs', { teamId: null, userIds: ['u-agent1'] }, true, 'a named user sees it'],
  ['agentTier2', { teamId: CS, userIds: ['u-tier2'] }, true, 'a named user sees it outside their team'],
  ['agentCs', { userIds: ['u-agent2'] }, false, 'a user not named, with no team on the event, does not'],
  ['admin', { userIds: ['u-agent2'] }, true, 'admins see events addressed to users of their tenant'],
  ['admin', { teamId: null }, true, 'an event of no team goes to admins'],
  ['agentCs', { teamId: null }, false, 'an event of no team does not go to agents'],
  ['leadCs', { roles: ['team_leader'] }, true, 'a role-addressed event reaches that role'],
  ['admin', { roles: ['team_leader'] }, false, 'a role-addressed event reaches only those roles, not admins'],
  ['agentCs', { roles: ['team_leader'], teamId: CS }, false, 'roles narrow a team event: the team member without the role does not see it'],
  ['agentCs', { roles: ['team_leader'], userIds: ['u-agent1'] }, true, 'a named user sees a role-addressed event'],
  ['otherAdmin', { userIds: ['u-admin-b'] }, false, 'being named never crosses a tenant wall'],
  ['leadCs', { leadersOfTeamId: CS }, true, 'an SLA alert reaches the leaders of the team'],
  ['agentCs', { leadersOfTeamId: CS }, false, 'an SLA alert does not reach the members who are not leaders'],
  ['admin', { leadersOfTeamId: CS }, false, 'an SLA alert goes to the leaders, not to admins'],
  ['qc', { leadersOfTeamId: CS }, false, 'nor to QC'],
  ['otherAdmin', { leadersOfTeamId: CS }, false, 'nor across a tenant wall to a leader of a team with the same id'],
  ['agentTier2', { leadersOfTeamId: CS, userIds: ['u-tier2'] }, true, 'a named user sees a leaders-only alert'],
];

describe('canSee (which sockets a live event may reach)', () => {
  it.each(cases)('%s with audience %j → %s: %s', (viewer, audience, sees) => {
    expect(canSee(viewers[viewer]!, event(audience))).toBe(sees);
  });

  it('is decided per tenant first: the same audience in the viewer\'s own tenant is seen', () => {
    expect(canSee(viewers.otherAdmin!, event({ teamId: CS }, 'tenant-b'))).toBe(true);
  });
});
