import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { pickLeastBusy, type Candidate } from '../src/least-busy.js';

const agent = (agentId: string, active: number, capacity = 5, lastAssignedAt: Date | null = null): Candidate => ({
  agentId,
  active,
  capacity,
  lastAssignedAt,
});

describe('pickLeastBusy', () => {
  it.each([
    ['nobody when there are no candidates', [], undefined],
    ['nobody when everyone is at capacity', [agent('a', 5), agent('b', 2, 2)], undefined],
    ['nobody when capacity is zero', [agent('a', 0, 0)], undefined],
    ['the agent with the fewest active conversations', [agent('a', 3), agent('b', 1), agent('c', 2)], 'b'],
    ['skips a less busy agent who is full', [agent('a', 1, 1), agent('b', 4)], 'b'],
    [
      'among equals, the one who waited longest since the last assignment',
      [agent('a', 1, 5, new Date('2026-01-01T10:00:00Z')), agent('b', 1, 5, new Date('2026-01-01T09:00:00Z'))],
      'b',
    ],
    ['among equals, a never-assigned agent first', [agent('a', 0, 5, new Date('2026-01-01T10:00:00Z')), agent('b', 0)], 'b'],
    ['among full ties, the lowest id', [agent('b', 0), agent('a', 0)], 'a'],
  ])('picks %s', (_name, candidates, expected) => {
    expect(pickLeastBusy(candidates)?.agentId).toBe(expected);
  });

  it('always picks an agent with room and none with fewer active conversations', () => {
    const arb = fc.array(
      fc.record({
        agentId: fc.uuid(),
        active: fc.nat(10),
        capacity: fc.nat(10),
        lastAssignedAt: fc.option(fc.date({ noInvalidDate: true })),
      }),
    );
    fc.assert(
      fc.property(arb, (candidates) => {
        const chosen = pickLeastBusy(candidates);
        const withRoom = candidates.filter((c) => c.active < c.capacity);
        if (withRoom.length === 0) return chosen === undefined;
        return chosen !== undefined && chosen.active < chosen.capacity && withRoom.every((c) => c.active >= chosen.active);
      }),
    );
  });

  it('spreads a run of assignments round-robin over equally busy agents', () => {
    const agents = ['a', 'b', 'c'].map((id) => agent(id, 0, 10));
    const order: string[] = [];
    for (let t = 1; t <= 6; t++) {
      const chosen = pickLeastBusy(agents)!;
      order.push(chosen.agentId);
      chosen.active += 1;
      chosen.lastAssignedAt = new Date(t * 1000);
    }
    expect(order).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });
});
