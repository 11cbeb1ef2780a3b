import { describe, expect, it } from '@jest/globals';
import { messagingTypeFor } from '../src/channels/meta-messaging/messaging-window.js';

const NOW = new Date('2030-01-02T03:04:05.000Z');
const HOUR = 3_600_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms);

describe("Messenger's and Instagram's messaging window", () => {
  it.each([
    ['an agent, 2 hours after the customer wrote', ago(2 * HOUR), 'agent', { messaging_type: 'RESPONSE' }],
    ['Sapa itself, 2 hours after', ago(2 * HOUR), 'system', { messaging_type: 'RESPONSE' }],
    ['an agent, exactly 24 hours after', ago(24 * HOUR), 'agent', { messaging_type: 'RESPONSE' }],
    ['an agent, a minute past 24 hours', ago(24 * HOUR + 60_000), 'agent', { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' }],
    ['an agent, 6 days after', ago(6 * 24 * HOUR), 'agent', { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' }],
    ['an agent, when the customer never wrote in the conversation', null, 'agent', { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' }],
  ])('lets %s reply', (_case, lastWroteAt, author, expected) => {
    expect(messagingTypeFor(lastWroteAt, NOW, author)).toEqual(expected);
  });

  it.each([
    ['Sapa itself past 24 hours', ago(25 * HOUR), 'system', /only a human agent's reply/],
    ['Sapa itself when the customer never wrote', null, 'system', /only a human agent's reply/],
    ['an agent past 7 days', ago(7 * 24 * HOUR + 1), 'agent', /more than 7 days ago/],
  ])('refuses %s', (_case, lastWroteAt, author, reason) => {
    const choice = messagingTypeFor(lastWroteAt, NOW, author);
    expect('refused' in choice && choice.refused).toMatch(reason);
  });
});
