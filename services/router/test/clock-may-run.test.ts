import { describe, expect, it } from '@jest/globals';
import type { Conversation } from '@sapa/db';
import { clockMayRun } from '../src/inbound-worker.js';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 9, minute));
const conv = (agent: Date | null, contact: Date | null) =>
  ({ last_agent_message_at: agent, last_contact_message_at: contact }) as unknown as Conversation;

describe('clockMayRun: whether a customer message must reach the ticket service at once', () => {
  it.each([
    ['no agent has spoken yet', conv(null, null), 'api', false],
    ['no agent has spoken, the customer wrote before', conv(null, at(1)), 'api', false],
    ['the agent spoke last', conv(at(2), at(1)), 'api', true],
    ['the agent spoke, the customer never', conv(at(2), null), 'api', true],
    ['the customer already answered the agent (a later line of the same turn)', conv(at(1), at(2)), 'api', false],
    ['a live chat, whose clock may run from the customer leaving', conv(null, at(2)), 'livechat', true],
  ])('%s → %s', (_name, c, channelType, expected) => {
    expect(clockMayRun(c, channelType)).toBe(expected);
  });
});
