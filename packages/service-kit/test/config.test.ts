import { describe, expect, it } from '@jest/globals';
import { Type } from '@sinclair/typebox';
import { BaseConfigSchema, ConfigError, loadConfig } from '../src/config.js';

const schema = { ...BaseConfigSchema, INBOX_PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 3000 }) };
const valid = { SAPA_SECRET_KEY: 'a-secret-key-of-length' };

describe('loadConfig', () => {
  it('fills the contract defaults and converts numbers', () => {
    const config = loadConfig(schema, { ...valid, INBOX_PORT: '3300' });
    expect(config).toMatchObject({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/sapa',
      REDIS_URL: 'redis://127.0.0.1:6379',
      LOG_LEVEL: 'info',
      INBOX_PORT: 3300,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('lists every bad variable in one error, never echoing a secret', () => {
    let error: unknown;
    try {
      loadConfig(schema, { SAPA_SECRET_KEY: 'short', INBOX_PORT: 'abc', REDIS_URL: 'http://x', LOG_LEVEL: 'loud' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['SAPA_SECRET_KEY', 'INBOX_PORT', 'REDIS_URL', 'LOG_LEVEL']) expect(problems).toContain(name);
    expect(problems).not.toContain('short');
  });

  it.each(['2.5', '1e3', '0x10', '12abc'])('refuses %j for a whole number instead of rounding it', (given) => {
    const optional = { ...schema, MAX_SESSIONS: Type.Optional(Type.Integer({ minimum: 1 })) };
    for (const env of [{ ...valid, INBOX_PORT: given }, { ...valid, MAX_SESSIONS: given }]) {
      const name = Object.keys(env).find((k) => k !== 'SAPA_SECRET_KEY')!;
      expect(() => loadConfig(optional, env)).toThrow(new RegExp(`${name}: Expected a whole number \\(got "${given}"\\)`));
    }
    expect(loadConfig(optional, { ...valid, INBOX_PORT: ' 3300 ', MAX_SESSIONS: '+4' })).toMatchObject({ INBOX_PORT: 3300, MAX_SESSIONS: 4 });
  });

  it('says which required variable is unset', () => {
    expect(() => loadConfig(schema, {})).toThrow(/SAPA_SECRET_KEY.*unset/);
  });
});
