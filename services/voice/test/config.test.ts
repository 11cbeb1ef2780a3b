import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@sapa/service-kit';
import { voiceConfig } from '../src/config.js';

const base = { SAPA_SECRET_KEY: 'a-secret-key-of-length' };

/** config.ts: the voice service's own variables, as loadConfig reads them at boot. */
describe('the voice configuration', () => {
  it('sets no cap on the AMI channels a replica reads unless VOICE_AMI_MAX_SESSIONS says one', () => {
    expect(voiceConfig(base).VOICE_AMI_MAX_SESSIONS).toBeUndefined();
    expect(voiceConfig({ ...base, VOICE_AMI_MAX_SESSIONS: '3' }).VOICE_AMI_MAX_SESSIONS).toBe(3);
  });

  it.each(['0', '-1', 'all'])('refuses VOICE_AMI_MAX_SESSIONS=%s, naming the variable', (value) => {
    let error: unknown;
    try {
      voiceConfig({ ...base, VOICE_AMI_MAX_SESSIONS: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.join('\n')).toContain('VOICE_AMI_MAX_SESSIONS');
  });
});
