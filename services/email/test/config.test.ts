import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@sapa/service-kit';
import { emailConfig } from '../src/config.js';

const base = { SAPA_SECRET_KEY: 'a-secret-key-of-length' };

/** config.ts: the email service's own variables, as loadConfig reads them at boot. */
describe('the email configuration', () => {
  it('sets no cap on the mailboxes a replica watches unless EMAIL_MAX_MAILBOXES says one', () => {
    expect(emailConfig(base).EMAIL_MAX_MAILBOXES).toBeUndefined();
    expect(emailConfig({ ...base, EMAIL_MAX_MAILBOXES: '40' }).EMAIL_MAX_MAILBOXES).toBe(40);
  });

  it.each(['0', '-3', 'many'])('refuses EMAIL_MAX_MAILBOXES=%s, naming the variable', (value) => {
    let error: unknown;
    try {
      emailConfig({ ...base, EMAIL_MAX_MAILBOXES: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.join('\n')).toContain('EMAIL_MAX_MAILBOXES');
  });
});
