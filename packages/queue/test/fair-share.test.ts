import { describe, expect, it } from '@jest/globals';
import { planShare, type ReplicaLoad } from '../src/index.js';

const r = (holderId: string, held: number, max?: number): ReplicaLoad => ({ holderId, held, ...(max !== undefined && { max }) });

/** [what, held by this replica "a", wanted keys, the other live replicas, a's maxSessions, expected plan]. */
const cases: Array<[string, number, number, ReplicaLoad[], number | undefined, { share: number; handOver: number }]> = [
  ['alone, it may hold every key', 0, 7, [], undefined, { share: 7, handOver: 0 }],
  ['alone, it still stops at its maxSessions', 0, 7, [], 3, { share: 3, handOver: 0 }],
  ['with a second replica, the share is ceil(keys / 2)', 0, 7, [r('b', 0)], undefined, { share: 4, handOver: 0 }],
  ['holding everything when a new replica arrives, it hands over a step at a time', 10, 10, [r('b', 0)], undefined, { share: 5, handOver: 2 }],
  ['the last surplus key goes on its own', 6, 10, [r('b', 4)], undefined, { share: 5, handOver: 1 }],
  ['at its share it keeps what it holds', 5, 10, [r('b', 4)], undefined, { share: 5, handOver: 0 }],
  ['its own stale beat in the list is ignored', 10, 10, [r('a', 3), r('b', 0)], undefined, { share: 5, handOver: 2 }],
  ['above its share, it keeps the surplus when the others are at theirs', 6, 10, [r('b', 5), r('c', 4)], undefined, { share: 4, handOver: 0 }],
  ['above its share, it keeps the surplus when the one below has no room (nobody would take it)', 8, 10, [r('b', 2, 2)], undefined, { share: 5, handOver: 0 }],
  ['a replica below its share with room takes the surplus', 8, 10, [r('b', 2, 3), r('c', 0, 2)], undefined, { share: 4, handOver: 2 }],
  ['no keys, no share', 0, 0, [r('b', 0)], undefined, { share: 0, handOver: 0 }],
];

describe('the fair share of sessions between replicas', () => {
  it.each(cases)('%s', (_what, held, wanted, replicas, maxSessions, expected) => {
    expect(planShare({ self: 'a', held, wanted, replicas, handOverStep: 2, ...(maxSessions !== undefined && { maxSessions }) })).toEqual(expected);
  });
});
