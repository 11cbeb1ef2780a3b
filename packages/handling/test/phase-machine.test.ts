import { describe, expect, it } from '@jest/globals';
import { nextPhase, PHASES, type Phase } from '../src/index.js';

/**
 * The whole transition table of customer-handling.md §phases and api-contract.md §Handling flow.
 * Rows are the current phase, columns the requested one, in PHASES order:
 *   =  same phase: a no-op          +  forward by one
 *   s  forward past phases: needs a skipReason
 *   b  the one allowed step back (other_help → identify_need)
 *   x  refused
 */
const TABLE: Record<Phase, string> = {
  greeting: '= + s s s s s s',
  verification: 'x = + s s s s s',
  identify_need: 'x x = + s s s s',
  solution: 'x x x = + s s s',
  other_help: 'x x b x = + s s',
  cross_sell: 'x x x x x = + s',
  closing: 'x x x x x x = +',
  documented: 'x x x x x x x =',
};

const cells = PHASES.flatMap((from) =>
  TABLE[from].split(' ').map((cell, i) => [from, PHASES[i]!, cell] as const),
);

describe('nextPhase transition table', () => {
  it('covers every pair of phases', () => {
    expect(cells).toHaveLength(PHASES.length * PHASES.length);
  });

  it.each(cells)('%s → %s is "%s" without a skip reason', (from, to, cell) => {
    const result = nextPhase(from, to);
    if (cell === '=') expect(result).toEqual({ ok: true, skipped: [], unchanged: true });
    else if (cell === '+' || cell === 'b') expect(result).toEqual({ ok: true, skipped: [], unchanged: false });
    else expect(result).toMatchObject({ ok: false, code: 'invalid_phase_transition' });
  });

  it.each(cells)('%s → %s is "%s" with a skip reason', (from, to, cell) => {
    const result = nextPhase(from, to, 'customer already verified by IVR');
    if (cell === '=') expect(result).toEqual({ ok: true, skipped: [], unchanged: true });
    else if (cell === 'x') expect(result).toMatchObject({ ok: false, code: 'invalid_phase_transition' });
    else {
      const skipped = cell === 's' ? PHASES.slice(PHASES.indexOf(from) + 1, PHASES.indexOf(to)) : [];
      expect(result).toEqual({ ok: true, skipped, unchanged: false });
    }
  });

  it.each(cells.filter(([, , cell]) => cell === 's'))('%s → %s refuses a blank skip reason', (from, to) => {
    expect(nextPhase(from, to, '   ')).toMatchObject({ ok: false, code: 'invalid_phase_transition' });
    expect(nextPhase(from, to, '')).toMatchObject({ ok: false });
    expect(nextPhase(from, to, null)).toMatchObject({ ok: false });
  });
});

describe('nextPhase details', () => {
  it('names the skipped phases in order', () => {
    expect(nextPhase('greeting', 'identify_need', 'known customer')).toEqual({ ok: true, skipped: ['verification'], unchanged: false });
    expect(nextPhase('solution', 'closing', 'customer in a hurry')).toEqual({
      ok: true,
      skipped: ['other_help', 'cross_sell'],
      unchanged: false,
    });
  });

  it('says which phases a reasonless skip would skip', () => {
    const result = nextPhase('greeting', 'solution');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/verification, identify_need/);
  });

  it('says that only other_help → identify_need goes back', () => {
    const result = nextPhase('closing', 'solution', 'oops');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/only other_help → identify_need/);
  });

  it('refuses anything after documented', () => {
    const result = nextPhase('documented', 'greeting', 'new need');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/documented/);
  });

  it('refuses an unknown phase', () => {
    expect(nextPhase('greeting', 'farewell' as Phase)).toMatchObject({ ok: false, code: 'invalid_phase_transition' });
    expect(nextPhase('farewell' as Phase, 'greeting')).toMatchObject({ ok: false, code: 'invalid_phase_transition' });
  });

  it('walks a whole conversation with one extra need', () => {
    const walk: Phase[] = ['greeting', 'verification', 'identify_need', 'solution', 'other_help', 'identify_need', 'solution', 'other_help', 'cross_sell', 'closing', 'documented'];
    for (let i = 1; i < walk.length; i++) expect(nextPhase(walk[i - 1]!, walk[i]!).ok).toBe(true);
  });
});
