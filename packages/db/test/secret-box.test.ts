import { describe, expect, it } from '@jest/globals';
import { createSecretBox } from '../src/secret-box.js';

describe('secret box', () => {
  const box = createSecretBox('a-long-enough-secret-key');

  it('opens what it sealed', () => {
    expect(box.open(box.seal({ signingSecret: 's3cret' }))).toEqual({ signingSecret: 's3cret' });
  });

  it('never stores the secret in clear and never seals twice the same way', () => {
    const a = box.seal({ signingSecret: 's3cret' });
    expect(a).not.toContain('s3cret');
    expect(box.seal({ signingSecret: 's3cret' })).not.toBe(a);
  });

  it('refuses ciphertext sealed under another key', () => {
    const other = createSecretBox('another-long-secret-key');
    expect(() => other.open(box.seal('x'))).toThrow();
  });

  it('refuses tampered ciphertext', () => {
    const sealed = box.seal('value');
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('AA') ? 'BB' : 'AA');
    expect(() => box.open(tampered)).toThrow();
  });

  it('refuses a key shorter than 16 characters', () => {
    expect(() => createSecretBox('short')).toThrow(/at least 16/);
  });
});
