import { describe, expect, it } from '@jest/globals';
import { DEFAULT_HANDLE_SECONDS, estimatedWaitMinutes } from '../src/estimate-wait.js';

describe('estimatedWaitMinutes', () => {
  it.each([
    [{ position: 1, agentsOnline: 1, avgHandleSeconds: 600 }, 10, 'one ahead-or-self, one agent, 10-minute conversations'],
    [{ position: 6, agentsOnline: 3, avgHandleSeconds: 300 }, 10, 'six shared by three agents'],
    [{ position: 7, agentsOnline: 3, avgHandleSeconds: 300 }, 12, 'rounded up to the next minute'],
    [{ position: 1, agentsOnline: 10, avgHandleSeconds: 30 }, 1, 'never less than a minute'],
    [{ position: 4, agentsOnline: 0, avgHandleSeconds: 120 }, 8, 'nobody online counts as one agent'],
    [{ position: 2, agentsOnline: 1, avgHandleSeconds: null }, (2 * DEFAULT_HANDLE_SECONDS) / 60, 'no history: the default handling time'],
    [{ position: 0, agentsOnline: 1, avgHandleSeconds: 240 }, 4, 'a position below 1 counts as the head'],
  ])('%j → %d min (%s)', (standing, minutes) => {
    expect(estimatedWaitMinutes(standing)).toBe(minutes);
  });
});
