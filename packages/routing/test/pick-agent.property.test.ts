import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { pickAgent, type AgentCandidate, type ConversationNeed, type Strategy } from '../src/pick-agent.js';

// The choice restated from the brief, independently of the module, so the properties do not check the code
// against itself. fast-check prints the seed and the shrunk counterexample when one fails.

const IDS = ['a', 'b', 'c', 'd', 'e', 'f'];
const SKILLS = ['finance', 'security', 'it', 'constructor'];
const LANGUAGES = ['id', 'en', 'jv'];

const level = (skills: Readonly<Record<string, number>>, key: string) => (Object.hasOwn(skills, key) ? skills[key]! : 0);

function suitableBySpec(c: AgentCandidate, n: ConversationNeed): boolean {
  if (c.active >= c.capacity) return false;
  for (const [key, needed] of Object.entries(n.skills)) if (level(c.skills, key) < needed) return false;
  if (n.language !== null && c.languages.length > 0 && !c.languages.includes(n.language)) return false;
  if (n.voiceBlocksChat && n.kind === 'chat' && c.activeVoice > 0) return false;
  return !n.passedOver.includes(c.agentId);
}

/** The strategy's order as a sort key, smallest first. */
function sortKey(c: AgentCandidate, n: ConversationNeed, strategy: Strategy): (number | string)[] {
  const time = c.lastAssignedAt === null ? Number.NEGATIVE_INFINITY : c.lastAssignedAt.getTime();
  const score = Object.keys(n.skills).reduce((sum, key) => sum + level(c.skills, key), 0);
  if (strategy === 'round_robin') return [time, c.agentId];
  if (strategy === 'least_busy') return [c.active, time, c.agentId];
  return [-score, c.active, time, c.agentId];
}

function compareKeys(a: (number | string)[], b: (number | string)[]): number {
  for (let i = 0; i < a.length; i++) if (a[i]! !== b[i]!) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

const candidateArb: fc.Arbitrary<AgentCandidate> = fc.record({
  agentId: fc.constantFrom(...IDS),
  active: fc.nat(4),
  capacity: fc.nat(4),
  activeVoice: fc.nat(1),
  // Few distinct instants, so ties on lastAssignedAt are common.
  lastAssignedAt: fc.option(fc.nat(3).map((m) => new Date(Date.UTC(2026, 4, 4, 9, m))), { nil: null }),
  skills: fc.dictionary(fc.constantFrom(...SKILLS), fc.integer({ min: 1, max: 5 }), { maxKeys: 3 }),
  languages: fc.subarray(LANGUAGES),
});

const candidatesArb = fc.uniqueArray(candidateArb, { selector: (c) => c.agentId, maxLength: IDS.length });

const needArb: fc.Arbitrary<ConversationNeed> = fc.record({
  kind: fc.constantFrom('chat' as const, 'email' as const, 'voice' as const),
  skills: fc.dictionary(fc.constantFrom(...SKILLS), fc.integer({ min: 0, max: 5 }), { maxKeys: 2 }),
  language: fc.option(fc.constantFrom(...LANGUAGES, 'su'), { nil: null }),
  voiceBlocksChat: fc.boolean(),
  stickyAgentId: fc.option(fc.constantFrom(...IDS, 'offline'), { nil: null }),
  passedOver: fc.subarray(IDS, { maxLength: 3 }),
});

const strategyArb = fc.constantFrom<Strategy>('least_busy', 'round_robin', 'skills_weighted');

describe('pickAgent over random teams and conversations', () => {
  it('returns a suitable agent whenever one exists, and never an unsuitable one', () => {
    fc.assert(
      fc.property(candidatesArb, needArb, strategyArb, (candidates, n, strategy) => {
        const chosen = pickAgent(candidates, n, strategy);
        const anySuitable = candidates.some((c) => suitableBySpec(c, n));
        expect(chosen === undefined).toBe(!anySuitable);
        if (chosen) expect(suitableBySpec(chosen, n)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('returns the sticky agent when suitable, else the first suitable agent in the strategy order', () => {
    fc.assert(
      fc.property(candidatesArb, needArb, strategyArb, (candidates, n, strategy) => {
        const suitable = candidates.filter((c) => suitableBySpec(c, n));
        const sticky = suitable.find((c) => c.agentId === n.stickyAgentId);
        const expected = sticky ?? [...suitable].sort((a, b) => compareKeys(sortKey(a, n, strategy), sortKey(b, n, strategy)))[0];
        expect(pickAgent(candidates, n, strategy)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('chooses the same agent whatever the order of the candidates', () => {
    fc.assert(
      fc.property(
        candidatesArb.chain((cs) => fc.tuple(fc.constant(cs), fc.shuffledSubarray(cs, { minLength: cs.length, maxLength: cs.length }))),
        needArb,
        strategyArb,
        ([candidates, shuffled], n, strategy) => {
          expect(pickAgent(shuffled, n, strategy)?.agentId).toBe(pickAgent(candidates, n, strategy)?.agentId);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
