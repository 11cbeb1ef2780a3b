import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { REDACT_PATHS } from '../src/logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, stream), lines };
}

describe('log redaction', () => {
  it.each([
    ['an authorization header', { req: { headers: { authorization: 'Bearer sapa_abc' } } }, 'sapa_abc'],
    ['a webhook signature', { req: { headers: { 'x-sapa-signature': 'sha256=deadbeef' } } }, 'deadbeef'],
    ['a password', { body: { password: 'demo12345' } }, 'demo12345'],
    ['a token', { token: 'sapa_xyz' }, 'sapa_xyz'],
    ['a channel secret', { channel: { secret: 'whsec_123' } }, 'whsec_123'],
    ['a phone number', { from: { phone: '+6281234567890' } }, '6281234567890'],
    ['a nested phone number', { job: { from: { phone: '+6281299999999' } } }, '6281299999999'],
    ['an e-mail address', { contact: { email: 'budi@example.co.id' } }, 'budi@example.co.id'],
    ['message text', { message: { text: 'KTP saya 3174...' } }, 'KTP saya'],
    ['a contact\'s profile attributes', { contact: { attributes: { registeredName: 'Budi Santoso' } } }, 'Budi Santoso'],
    ['a registered name', { body: { registeredName: 'Sari Wulandari' } }, 'Sari Wulandari'],
    ['an agent ID', { body: { agentId: 'AG-7781' } }, 'AG-7781'],
    ['a registered phone', { contact: { registeredPhone: '+6281234567890' } }, '6281234567890'],
    ['an upline ID', { uplineId: 'UP-42' }, 'UP-42'],
  ])('hides %s', (_name, obj, secret) => {
    const { logger, lines } = capture();
    logger.info(obj, 'event');
    expect(lines.join('')).not.toContain(secret);
    expect(lines.join('')).toContain('[redacted]');
  });

  it('keeps ids that operators need', () => {
    const { logger, lines } = capture();
    logger.info({ tenantId: 't-1', conversationId: 'c-1', jobId: 'j-1' }, 'event');
    expect(lines.join('')).toContain('c-1');
  });
});
