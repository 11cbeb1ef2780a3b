import { describe, expect, it } from '@jest/globals';
import type { Viewer } from '../src/auth/principal.js';
import { canManage, canReply, canViewConversation, conversationScope, type ConversationFacts } from '../src/access/conversation-access.js';

const T = 'tenant-a';
const CS = 'team-cs';
const T2 = 'team-tier2';
const v = (userId: string, roles: string[], teamIds: string[] = [], leaderOfTeamIds: string[] = []): Viewer => ({
  userId,
  tenantId: T,
  roles,
  teamIds,
  leaderOfTeamIds,
});
const viewers = {
  admin: v('admin', ['admin']),
  qc: v('qc', ['quality_control']),
  lead: v('lead', ['team_leader'], [CS], [CS]),
  agent1: v('agent1', ['agent'], [CS]),
  agent2: v('agent2', ['agent'], [CS]),
  tier2: v('tier2', ['tier2'], [T2]),
};
type Who = keyof typeof viewers;

const conversations: Record<string, ConversationFacts> = {
  queuedCs: { assigneeId: null, teamId: CS, status: 'queued' },
  agent1Cs: { assigneeId: 'agent1', teamId: CS, status: 'assigned' },
  closedAgent1: { assigneeId: 'agent1', teamId: CS, status: 'closed' },
  queuedTier2: { assigneeId: null, teamId: T2, status: 'queued' },
  agent1InTier2: { assigneeId: 'agent1', teamId: T2, status: 'assigned' },
  noTeam: { assigneeId: null, teamId: null, status: 'queued' },
};

// [who, conversation, view, reply, manage]
const table: Array<[Who, string, boolean, boolean, boolean]> = [
  ['admin', 'agent1Cs', true, false, true],
  ['admin', 'noTeam', true, false, true],
  ['qc', 'agent1Cs', true, false, false],
  ['qc', 'queuedTier2', true, false, false],
  ['lead', 'agent1Cs', true, true, true],
  ['lead', 'queuedCs', true, true, true],
  ['lead', 'closedAgent1', true, true, true],
  ['lead', 'queuedTier2', false, false, false],
  ['lead', 'agent1InTier2', false, false, false],
  ['agent1', 'agent1Cs', true, true, true],
  ['agent1', 'closedAgent1', true, true, true],
  ['agent1', 'agent1InTier2', true, true, true],
  ['agent1', 'queuedCs', true, false, false],
  ['agent1', 'queuedTier2', false, false, false],
  ['agent2', 'agent1Cs', false, false, false],
  ['agent2', 'queuedCs', true, false, false],
  ['agent2', 'noTeam', false, false, false],
  ['tier2', 'queuedTier2', true, false, false],
  ['tier2', 'queuedCs', false, false, false],
];

describe('conversation access rules', () => {
  it.each(table)('%s on %s: sees %s, may reply %s, may transfer/close %s', (who, conv, view, reply, manage) => {
    const viewer = viewers[who];
    const facts = conversations[conv]!;
    expect(canViewConversation(viewer, facts)).toBe(view);
    expect(canReply(viewer, facts)).toBe(reply);
    expect(canManage(viewer, facts)).toBe(manage);
  });

  it.each([
    ['admin', { all: true }],
    ['qc', { all: true }],
    ['lead', { all: false, userId: 'lead', queueTeamIds: [CS], wholeTeamIds: [CS] }],
    ['agent1', { all: false, userId: 'agent1', queueTeamIds: [CS], wholeTeamIds: [] }],
  ] as const)('gives %s the list scope %j (the SQL form of the same rule)', (who, scope) => {
    expect(conversationScope(viewers[who])).toEqual(scope);
  });
});
