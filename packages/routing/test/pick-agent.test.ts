import { describe, expect, it } from '@jest/globals';
import { isSuitable, pickAgent, type AgentCandidate, type ConversationNeed, type Strategy } from '../src/pick-agent.js';

const at = (hhmm: string) => new Date(`2026-05-04T${hhmm}:00+07:00`);

const agent = (agentId: string, over: Partial<AgentCandidate> = {}): AgentCandidate => ({
  agentId,
  active: 0,
  capacity: 5,
  activeVoice: 0,
  lastAssignedAt: null,
  skills: {},
  languages: [],
  ...over,
});

const need = (over: Partial<ConversationNeed> = {}): ConversationNeed => ({
  kind: 'chat',
  skills: {},
  language: null,
  voiceBlocksChat: false,
  stickyAgentId: null,
  passedOver: [],
  ...over,
});

const STRATEGIES: Strategy[] = ['least_busy', 'round_robin', 'skills_weighted'];

describe('isSuitable', () => {
  type Case = [string, Partial<AgentCandidate>, Partial<ConversationNeed>, boolean];
  const cases: Case[] = [
    ['an idle agent for a conversation that needs nothing', {}, {}, true],
    // capacity
    ['one below capacity', { active: 4, capacity: 5 }, {}, true],
    ['at capacity', { active: 5, capacity: 5 }, {}, false],
    ['over capacity', { active: 6, capacity: 5 }, {}, false],
    ['with capacity 0', { active: 0, capacity: 0 }, {}, false],
    // skills
    ['with the skill at exactly the level', { skills: { finance: 3 } }, { skills: { finance: 3 } }, true],
    ['with the skill above the level', { skills: { finance: 5 } }, { skills: { finance: 3 } }, true],
    ['with the skill below the level', { skills: { finance: 2 } }, { skills: { finance: 3 } }, false],
    ['without the skill', { skills: { it: 5 } }, { skills: { finance: 1 } }, false],
    ['without the skill, needed at level 0', {}, { skills: { finance: 0 } }, true],
    ['with one of two needed skills', { skills: { finance: 3 } }, { skills: { finance: 3, security: 1 } }, false],
    ['with both needed skills', { skills: { finance: 3, security: 2 } }, { skills: { finance: 3, security: 1 } }, true],
    ['without a skill named like an Object member', {}, { skills: { constructor: 1 } }, false],
    ['with a skill named like an Object member', { skills: { constructor: 1 } }, { skills: { constructor: 1 } }, true],
    // language
    ['serving the needed language', { languages: ['id', 'jv'] }, { language: 'jv' }, true],
    ['not serving the needed language', { languages: ['id'] }, { language: 'en' }, false],
    ['serving any language (none listed)', { languages: [] }, { language: 'en' }, true],
    ['serving some languages, none needed', { languages: ['id'] }, { language: null }, true],
    // voice blocks chat
    ['on a call, chat, the tenant blocks chat during calls', { activeVoice: 1 }, { kind: 'chat', voiceBlocksChat: true }, false],
    ['on a call, chat, the tenant allows it', { activeVoice: 1 }, { kind: 'chat', voiceBlocksChat: false }, true],
    ['on a call, email, the tenant blocks chat during calls', { activeVoice: 1 }, { kind: 'email', voiceBlocksChat: true }, true],
    ['on a call, a voice call with room', { activeVoice: 1, active: 1, capacity: 2 }, { kind: 'voice', voiceBlocksChat: true }, true],
    ['off calls, chat, the tenant blocks chat during calls', { activeVoice: 0 }, { kind: 'chat', voiceBlocksChat: true }, true],
    // passed over
    ['who let this conversation pass before', {}, { passedOver: ['x', 'a'] }, false],
    ['when others let it pass', {}, { passedOver: ['x', 'y'] }, true],
    // sticky does not make anyone suitable
    ['at capacity even when sticky', { active: 5 }, { stickyAgentId: 'a' }, false],
  ];

  it.each(cases.map(([name, a, n, ok]) => [ok ? 'takes' : 'refuses', name, a, n, ok] as const))('%s an agent %s', (_says, _name, a, n, ok) => {
    expect(isSuitable(agent('a', a), need(n))).toBe(ok);
  });
});

describe('pickAgent, whatever the strategy', () => {
  it.each(STRATEGIES)('%s: nobody when there are no candidates', (strategy) => {
    expect(pickAgent([], need(), strategy)).toBeUndefined();
  });

  it.each(STRATEGIES)('%s: nobody when no candidate is suitable', (strategy) => {
    const candidates = [agent('a', { active: 5 }), agent('b', { languages: ['en'] }), agent('c')];
    expect(pickAgent(candidates, need({ language: 'id', passedOver: ['c'] }), strategy)).toBeUndefined();
  });

  it.each(STRATEGIES)('%s: the sticky agent when suitable, even if another would come first', (strategy) => {
    const candidates = [agent('a'), agent('b', { active: 4, lastAssignedAt: at('10:00'), skills: { finance: 1 } }), agent('c', { skills: { finance: 5 } })];
    expect(pickAgent(candidates, need({ stickyAgentId: 'b', skills: { finance: 1 } }), strategy)?.agentId).toBe('b');
  });

  it.each([
    ['at capacity', { active: 5 }, {}],
    ['passed over', {}, { passedOver: ['s'] }],
    ['on a call that blocks chat', { activeVoice: 1 }, { voiceBlocksChat: true }],
    ['without the language', { languages: ['en'] }, { language: 'id' }],
    ['without the skill', {}, { skills: { finance: 1 } }],
  ] as const)('falls back to the strategy when the sticky agent is %s', (_name, stickyOver, needOver) => {
    const candidates = [agent('s', stickyOver), agent('b', { active: 2, skills: { finance: 1 } }), agent('c', { active: 1, skills: { finance: 1 } })];
    for (const strategy of STRATEGIES) {
      const chosen = pickAgent(candidates, need({ stickyAgentId: 's', ...needOver }), strategy);
      expect(chosen?.agentId).not.toBe('s');
      expect(chosen).toBeDefined();
    }
  });

  it.each(STRATEGIES)('%s: falls back when the sticky agent is not among the candidates (offline)', (strategy) => {
    expect(pickAgent([agent('b'), agent('a')], need({ stickyAgentId: 'gone' }), strategy)?.agentId).toBe('a');
  });

  it.each(STRATEGIES)('%s: never one who was passed over, even the only one', (strategy) => {
    expect(pickAgent([agent('a')], need({ passedOver: ['a'] }), strategy)).toBeUndefined();
    expect(pickAgent([agent('a'), agent('b', { active: 4 })], need({ passedOver: ['a'] }), strategy)?.agentId).toBe('b');
  });

  it.each(STRATEGIES)('%s: the same agent whatever the order of the candidates', (strategy) => {
    const candidates = [
      agent('d', { active: 1, lastAssignedAt: at('09:00'), skills: { finance: 2 } }),
      agent('b', { active: 1, lastAssignedAt: at('09:00'), skills: { finance: 2 } }),
      agent('c', { active: 2, lastAssignedAt: null, skills: { finance: 4 } }),
      agent('a', { active: 1, lastAssignedAt: at('09:00'), skills: { finance: 2 } }),
    ];
    const n = need({ skills: { finance: 1 } });
    const first = pickAgent(candidates, n, strategy)?.agentId;
    expect(pickAgent([...candidates].reverse(), n, strategy)?.agentId).toBe(first);
    expect(pickAgent([candidates[2]!, candidates[0]!, candidates[3]!, candidates[1]!], n, strategy)?.agentId).toBe(first);
  });
});

type Pick = [string, AgentCandidate[], Partial<ConversationNeed>, string];

describe('pickAgent least_busy', () => {
  const cases: Pick[] = [
    ['the fewest active conversations', [agent('a', { active: 3 }), agent('b', { active: 1 }), agent('c', { active: 2 })], {}, 'b'],
    ['fewest active among the suitable only', [agent('a', { active: 0, capacity: 0 }), agent('b', { active: 3 })], {}, 'b'],
    [
      'fewest active before longest waiting',
      [agent('a', { active: 2, lastAssignedAt: at('08:00') }), agent('b', { active: 1, lastAssignedAt: at('10:00') })],
      {},
      'b',
    ],
    [
      'among equally busy, the one assigned longest ago',
      [agent('a', { active: 1, lastAssignedAt: at('10:00') }), agent('b', { active: 1, lastAssignedAt: at('09:00') })],
      {},
      'b',
    ],
    ['among equally busy, a never-assigned one first', [agent('a', { active: 1, lastAssignedAt: at('00:01') }), agent('b', { active: 1 })], {}, 'b'],
    ['among full ties, the lowest agentId', [agent('b'), agent('c'), agent('a')], {}, 'a'],
    [
      'among full ties with the same time, the lowest agentId',
      [agent('b', { lastAssignedAt: at('09:00') }), agent('a', { lastAssignedAt: at('09:00') })],
      {},
      'a',
    ],
    ['agentIds as plain strings: "A" before "a", "10" before "9"', [agent('a'), agent('A'), agent('9'), agent('10')], {}, '10'],
    ['not the better-skilled agent when busier', [agent('a', { active: 2, skills: { finance: 5 } }), agent('b', { active: 1, skills: { finance: 1 } })], { skills: { finance: 1 } }, 'b'],
  ];

  it.each(cases)('picks %s', (_name, candidates, n, expected) => {
    expect(pickAgent(candidates, need(n), 'least_busy')?.agentId).toBe(expected);
  });
});

describe('pickAgent round_robin', () => {
  const cases: Pick[] = [
    [
      'the one assigned longest ago, however busy',
      [agent('a', { active: 0, lastAssignedAt: at('10:00') }), agent('b', { active: 4, lastAssignedAt: at('09:00') })],
      {},
      'b',
    ],
    ['a never-assigned one first', [agent('a', { lastAssignedAt: at('00:01') }), agent('b', { active: 3 })], {}, 'b'],
    ['among never-assigned ones, the lowest agentId', [agent('c', { active: 0 }), agent('b', { active: 3 }), agent('a', { active: 4 })], {}, 'a'],
    ['among equal times, the lowest agentId, not the least busy', [agent('b', { lastAssignedAt: at('09:00') }), agent('a', { active: 4, lastAssignedAt: at('09:00') })], {}, 'a'],
    ['the longest waiting among the suitable only', [agent('a', { active: 5 }), agent('b', { lastAssignedAt: at('09:00') })], {}, 'b'],
  ];

  it.each(cases)('picks %s', (_name, candidates, n, expected) => {
    expect(pickAgent(candidates, need(n), 'round_robin')?.agentId).toBe(expected);
  });

  it('spreads a run of assignments over the team in turn, whatever their load', () => {
    const team = [agent('a', { capacity: 10, active: 3 }), agent('b', { capacity: 10 }), agent('c', { capacity: 10, active: 1 })];
    const order: string[] = [];
    for (let minute = 1; minute <= 6; minute++) {
      const chosen = pickAgent(team, need(), 'round_robin')!;
      order.push(chosen.agentId);
      chosen.active += 1;
      chosen.lastAssignedAt = new Date(minute * 60_000);
    }
    expect(order).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });
});

describe('pickAgent skills_weighted', () => {
  const cases: Pick[] = [
    [
      'the highest level in the needed skill, however busy',
      [agent('a', { active: 0, skills: { finance: 2 } }), agent('b', { active: 4, skills: { finance: 5 } })],
      { skills: { finance: 1 } },
      'b',
    ],
    [
      'the highest sum over the needed skills',
      [agent('a', { skills: { finance: 5, security: 1 } }), agent('b', { skills: { finance: 3, security: 4 } })],
      { skills: { finance: 1, security: 1 } },
      'b',
    ],
    [
      'skills the conversation does not need do not count',
      [agent('a', { active: 1, skills: { finance: 3, it: 5, security: 5 } }), agent('b', { active: 2, skills: { finance: 4 } })],
      { skills: { finance: 1 } },
      'b',
    ],
    [
      'among equal scores, the least busy',
      [agent('a', { active: 2, skills: { finance: 3 } }), agent('b', { active: 1, skills: { finance: 3 } })],
      { skills: { finance: 1 } },
      'b',
    ],
    [
      'among equal scores and load, the one assigned longest ago',
      [agent('a', { lastAssignedAt: at('10:00'), skills: { finance: 3 } }), agent('b', { lastAssignedAt: at('09:00'), skills: { finance: 3 } })],
      { skills: { finance: 1 } },
      'b',
    ],
    [
      'among full ties, the lowest agentId',
      [agent('b', { skills: { finance: 3 } }), agent('a', { skills: { finance: 3 } })],
      { skills: { finance: 1 } },
      'a',
    ],
    [
      'with no skill needed, the least busy (every score is 0)',
      [agent('a', { active: 2, skills: { finance: 5 } }), agent('b', { active: 1 })],
      {},
      'b',
    ],
    [
      'a skill needed at level 0 counts the levels of those who have it',
      [agent('a', { active: 0 }), agent('b', { active: 3, skills: { jawa: 2 } })],
      { skills: { jawa: 0 } },
      'b',
    ],
    [
      'the best-skilled among the suitable only',
      [agent('a', { active: 5, skills: { finance: 5 } }), agent('b', { skills: { finance: 2 } })],
      { skills: { finance: 1 } },
      'b',
    ],
  ];

  it.each(cases)('picks %s', (_name, candidates, n, expected) => {
    expect(pickAgent(candidates, need(n), 'skills_weighted')?.agentId).toBe(expected);
  });
});
