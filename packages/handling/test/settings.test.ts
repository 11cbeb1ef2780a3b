import { describe, expect, it } from '@jest/globals';
import { applySettingsPatch, DEFAULT_HANDLING_SETTINGS, DEFAULT_TEMPLATES, validateSettingsPatch } from '../src/index.js';

describe('DEFAULT_HANDLING_SETTINGS (api-contract.md §Tenant settings)', () => {
  it('holds the contract defaults', () => {
    expect(DEFAULT_HANDLING_SETTINGS).toMatchObject({
      timeZone: 'Asia/Jakarta',
      locale: 'id',
      inactivity: { firstNudgeSeconds: 60, secondNudgeSeconds: 60, closeSeconds: 60, liveChatLeaveCloseSeconds: 60 },
      routing: { firstResponseSeconds: 180 },
    });
    expect(DEFAULT_HANDLING_SETTINGS.templates).toEqual(DEFAULT_TEMPLATES.id);
  });

  it('is itself a valid patch', () => {
    expect(validateSettingsPatch(DEFAULT_HANDLING_SETTINGS)).toMatchObject({ ok: true });
  });
});

describe('validateSettingsPatch accepts', () => {
  it.each([
    ['an empty patch', {}],
    ['a time zone', { timeZone: 'Asia/Makassar' }],
    ['another IANA zone', { timeZone: 'America/New_York' }],
    ['the shortest durations', { inactivity: { firstNudgeSeconds: 1, secondNudgeSeconds: 1, closeSeconds: 1, liveChatLeaveCloseSeconds: 1 } }],
    ['the longest duration', { routing: { firstResponseSeconds: 86_400 } }],
    ['one template', { templates: { closing: 'Terima kasih, {brand}. {closingPhrase}.' } }],
    ['English', { locale: 'en', templates: DEFAULT_TEMPLATES.en }],
    ['a brand', { brand: 'Pegadaian' }],
    ['WhatsApp templates for nudges and closings', { whatsapp: { nudgeTemplate: { name: 'still_there', language: 'id' }, closingTemplate: { name: 'thanks_bye', language: 'en_US' } } }],
    ['removing a WhatsApp template', { whatsapp: { nudgeTemplate: null } }],
  ])('%s', (_name, patch) => {
    expect(validateSettingsPatch(patch)).toEqual({ ok: true, patch });
  });
});

describe('validateSettingsPatch refuses', () => {
  it.each([
    ['an unknown key', { colour: 'red' }, ['colour']],
    ['an unknown nested key', { inactivity: { thirdNudgeSeconds: 60 } }, ['inactivity.thirdNudgeSeconds']],
    ['an unknown time zone', { timeZone: 'Asia/Jakrta' }, ['timeZone']],
    ['a time zone that is not text', { timeZone: 7 }, ['timeZone']],
    ['a zero duration', { inactivity: { firstNudgeSeconds: 0 } }, ['inactivity.firstNudgeSeconds']],
    ['a negative duration', { inactivity: { closeSeconds: -5 } }, ['inactivity.closeSeconds']],
    ['a duration over a day', { routing: { firstResponseSeconds: 86_401 } }, ['routing.firstResponseSeconds']],
    ['a fractional duration', { inactivity: { secondNudgeSeconds: 1.5 } }, ['inactivity.secondNudgeSeconds']],
    ['a duration as text', { inactivity: { liveChatLeaveCloseSeconds: '60' } }, ['inactivity.liveChatLeaveCloseSeconds']],
    ['a null duration', { inactivity: { firstNudgeSeconds: null } }, ['inactivity.firstNudgeSeconds']],
    ['a group that is not an object', { inactivity: 60 }, ['inactivity']],
    ['an unknown locale', { locale: 'fr' }, ['locale']],
    ['an empty brand', { brand: ' ' }, ['brand']],
    ['an empty template', { templates: { nudge: '' } }, ['templates.nudge']],
    ['a template with an unknown placeholder', { templates: { greeting: 'Halo {customerName}' } }, ['templates.greeting']],
    ['a WhatsApp template without a language', { whatsapp: { nudgeTemplate: { name: 'still_there' } } }, ['whatsapp.nudgeTemplate']],
    ['a WhatsApp template name with spaces', { whatsapp: { closingTemplate: { name: 'Thanks Bye', language: 'id' } } }, ['whatsapp.closingTemplate']],
    ['a WhatsApp template with components', { whatsapp: { closingTemplate: { name: 'bye', language: 'id', components: [] } } }, ['whatsapp.closingTemplate']],
    ['an unknown WhatsApp template kind', { whatsapp: { greetingTemplate: { name: 'hi', language: 'id' } } }, ['whatsapp.greetingTemplate']],
    ['a body that is not an object', [], ['(body)']],
    ['null', null, ['(body)']],
    [
      'several mistakes at once, listing each',
      { timeZone: 'X/Y', inactivity: { firstNudgeSeconds: 0, closeSeconds: 90_000 }, extra: true },
      ['timeZone', 'inactivity.firstNudgeSeconds', 'inactivity.closeSeconds', 'extra'],
    ],
  ])('%s', (_name, patch, paths) => {
    const result = validateSettingsPatch(patch);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path)).toEqual(paths);
  });

  it('says the allowed range of a duration', () => {
    const result = validateSettingsPatch({ inactivity: { firstNudgeSeconds: 0 } });
    expect(result).toEqual({
      ok: false,
      errors: [{ path: 'inactivity.firstNudgeSeconds', message: 'must be a whole number of seconds from 1 to 86400' }],
    });
  });
});

describe('applySettingsPatch', () => {
  it('merges nested groups key by key and keeps the rest', () => {
    const next = applySettingsPatch(DEFAULT_HANDLING_SETTINGS, { timeZone: 'Asia/Jayapura', inactivity: { closeSeconds: 5 }, templates: { nudge: 'Halo?' } });
    expect(next).toEqual({
      ...DEFAULT_HANDLING_SETTINGS,
      timeZone: 'Asia/Jayapura',
      inactivity: { ...DEFAULT_HANDLING_SETTINGS.inactivity, closeSeconds: 5 },
      templates: { ...DEFAULT_HANDLING_SETTINGS.templates, nudge: 'Halo?' },
    });
    expect(DEFAULT_HANDLING_SETTINGS.inactivity.closeSeconds).toBe(60);
  });
});
