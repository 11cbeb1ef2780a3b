import { describe, expect, it } from '@jest/globals';
import { closingPhrase, DEFAULT_TEMPLATES, localizeClosingPhrase, renderTemplate, timeOfDayWord, unknownPlaceholders } from '../src/index.js';

describe('default templates', () => {
  it('asks the SOP question word for word (customer-handling.md §Inactivity nudges)', () => {
    expect(DEFAULT_TEMPLATES.id.nudge).toBe('Apakah saat ini Bapak/Ibu masih terhubung dengan kami?');
  });

  it.each<['id' | 'en', 'greeting' | 'closing' | 'nudge', string]>([
    ['id', 'greeting', 'Selamat pagi, terima kasih telah menghubungi Pegadaian. Saya Dina, ada yang bisa saya bantu?'],
    ['id', 'closing', 'Terima kasih telah menghubungi Pegadaian. Selamat beraktifitas.'],
    ['id', 'nudge', 'Apakah saat ini Bapak/Ibu masih terhubung dengan kami?'],
    ['en', 'greeting', 'Good morning, thank you for contacting Pegadaian. My name is Dina, how may I help you?'],
    ['en', 'closing', 'Thank you for contacting Pegadaian. Have a productive day.'],
    ['en', 'nudge', 'Are you still connected with us?'],
  ])('the %s %s reads as expected when filled', (locale, name, text) => {
    const at = new Date('2026-05-06T02:00:00Z'); // Wednesday 09:00 in Jakarta
    const vars = {
      brand: 'Pegadaian',
      agentName: 'Dina',
      timeOfDay: timeOfDayWord(at, 'Asia/Jakarta', locale),
      closingPhrase: localizeClosingPhrase(closingPhrase(at, { timeZone: 'Asia/Jakarta', holidays: [] }), locale),
    };
    expect(renderTemplate(DEFAULT_TEMPLATES[locale][name], vars)).toBe(text);
  });
});

describe('renderTemplate', () => {
  it.each([
    ['fills every occurrence', '{brand} & {brand}', { brand: 'Sapa' }, 'Sapa & Sapa'],
    ['leaves unknown braces as written', 'Kode {ticket} dari {brand}', { brand: 'Sapa' }, 'Kode {ticket} dari Sapa'],
    ['leaves text without placeholders alone', 'Halo', {}, 'Halo'],
    ['does not re-expand a value that looks like a placeholder', '{agentName}', { agentName: '{brand}', brand: 'X' }, '{brand}'],
    ['ignores braces that are not a name', 'JSON {"a": 1}', {}, 'JSON {"a": 1}'],
  ])('%s', (_name, template, vars, text) => {
    expect(renderTemplate(template, vars)).toBe(text);
  });

  it('throws template_variable_missing when a used variable has no value', () => {
    expect(() => renderTemplate('Saya {agentName}', { brand: 'Sapa' })).toThrow(expect.objectContaining({ code: 'template_variable_missing' }));
  });
});

describe('unknownPlaceholders', () => {
  it.each<[string, string[]]>([
    ['Selamat {timeOfDay}, {brand}, {agentName}, {closingPhrase}', []],
    ['Halo {nama} {brand} {x1}', ['nama', 'x1']],
  ])('in "%s" finds %j', (template, names) => {
    expect(unknownPlaceholders(template)).toEqual(names);
  });
});
