import { describe, expect, it } from '@jest/globals';
import { timeOfDayWord, timeOfDayWordAt } from '../src/index.js';

const m = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

describe('timeOfDayWordAt', () => {
  it.each([
    ['00:00', 'malam'],
    ['03:59', 'malam'],
    ['04:00', 'pagi'],
    ['10:59', 'pagi'],
    ['11:00', 'siang'],
    ['14:59', 'siang'],
    ['15:00', 'sore'],
    ['17:59', 'sore'],
    ['18:00', 'malam'],
    ['23:59', 'malam'],
  ])('in Indonesian, %s is %s', (time, word) => {
    expect(timeOfDayWordAt(m(time))).toBe(word);
    expect(timeOfDayWordAt(m(time), 'id')).toBe(word);
  });

  it.each([
    ['00:00', 'evening'],
    ['03:59', 'evening'],
    ['04:00', 'morning'],
    ['11:59', 'morning'],
    ['12:00', 'afternoon'],
    ['17:59', 'afternoon'],
    ['18:00', 'evening'],
    ['23:59', 'evening'],
  ])('in English, %s is %s', (time, word) => {
    expect(timeOfDayWordAt(m(time), 'en')).toBe(word);
  });
});

describe('timeOfDayWord', () => {
  it.each<[string, string, 'id' | 'en', string]>([
    ['Asia/Jakarta', '2026-05-06T01:00:00Z', 'id', 'pagi'],
    ['Asia/Jayapura', '2026-05-06T02:00:00Z', 'id', 'siang'],
    ['Asia/Makassar', '2026-05-06T07:30:00Z', 'id', 'sore'],
    ['Asia/Jakarta', '2026-05-06T11:00:00Z', 'id', 'malam'],
    ['Europe/London', '2026-05-06T11:00:00Z', 'en', 'afternoon'],
    ['America/New_York', '2026-05-06T11:00:00Z', 'en', 'morning'],
  ])('in %s at %s (%s) is %s', (timeZone, instant, locale, word) => {
    expect(timeOfDayWord(new Date(instant), timeZone, locale)).toBe(word);
  });

  it('throws unknown_time_zone for an unknown zone', () => {
    expect(() => timeOfDayWord(new Date(), 'Nowhere/Place')).toThrow(expect.objectContaining({ code: 'unknown_time_zone' }));
  });
});
